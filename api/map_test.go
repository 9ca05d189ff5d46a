package api

import (
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/geo"
	"gridwatch/web"
)

// assetRefs finds the page's script and stylesheet URLs.
var assetRefs = regexp.MustCompile(`(?:src|href)="([^"]+/map/assets/[^"]+)"`)

func TestMap_PageAndAssets(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 5)
	rec := get(t, s, "/map")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, mediaHTML, rec.Header().Get("Content-Type"))
	require.Equal(t, "no-cache", rec.Header().Get("Cache-Control"))
	body := rec.Body.String()
	require.Contains(t, body, `<meta name="gridwatch-root" content="http://example.com">`)
	require.Contains(t, body, `<meta name="gridwatch-basemap" content="">`)

	refs := assetRefs.FindAllStringSubmatch(body, -1)
	require.Len(t, refs, 2, "one script and one stylesheet")
	tests := []struct{ ext, media string }{{".js", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"}}
	for _, tt := range tests {
		t.Run(tt.ext, func(t *testing.T) {
			var ref string
			for _, m := range refs {
				if strings.HasSuffix(m[1], tt.ext) {
					ref = m[1]
				}
			}
			require.NotEmpty(t, ref)
			require.True(t, strings.HasPrefix(ref, "http://example.com/map/assets/"), ref)
			rec := get(t, s, ref)
			require.Equal(t, http.StatusOK, rec.Code)
			require.Equal(t, tt.media, rec.Header().Get("Content-Type"))
			require.Equal(t, "public, max-age=31536000, immutable", rec.Header().Get("Cache-Control"))
			require.NotEmpty(t, rec.Body.Bytes())
			zipped := get(t, s, ref, "Accept-Encoding", "gzip")
			require.Equal(t, "gzip", zipped.Header().Get("Content-Encoding"), "scripts and styles are compressed")
			require.Less(t, zipped.Body.Len(), rec.Body.Len())
			tag := rec.Header().Get("ETag")
			require.NotEmpty(t, tag)
			require.Equal(t, http.StatusNotModified, get(t, s, ref, "If-None-Match", tag).Code)
		})
	}
}

func TestMap_PageRevalidates(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 5)
	tag := get(t, s, "/map").Header().Get("ETag")
	require.NotEmpty(t, tag)
	require.Equal(t, http.StatusNotModified, get(t, s, "/map", "If-None-Match", tag).Code)
	require.Equal(t, http.StatusOK, get(t, s, "/map/").Code, "a trailing slash is the same page")
}

func TestMap_RefusesWhatIsNotThere(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 5)
	tests := []struct {
		name, target string
		status       int
	}{
		{"unknown parameter", "/map?zoom=3", http.StatusBadRequest},
		{"parameter of an asset", "/map/assets/x.js?v=1", http.StatusBadRequest},
		{"missing asset", "/map/assets/nothing.js", http.StatusNotFound},
		{"outside the assets", "/map/index.html", http.StatusNotFound},
		{"unknown type", "/map/assets/x.txt", http.StatusNotFound},
		{"climbing out", "/map/assets/../index.html", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireProblem(t, get(t, s, tt.target), tt.status)
		})
	}
}

func TestMap_ContentSecurityPolicy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, basemap     string
		wantImg, wantAttr string
	}{
		{"no basemap loads nothing from outside", "", "img-src 'self' data: blob:;", ""},
		{"a fixed host", "https://tiles.example.org/{z}/{x}/{y}.png", "img-src 'self' data: blob: https://tiles.example.org;", "tiles.example.org"},
		{"subdomains", "https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=KEY&x={x}&y={y}&l={z}", "img-src 'self' data: blob: https://*.tianditu.gov.cn;", "tianditu.gov.cn"},
		{"served by this server", "/tiles/{z}/{x}/{y}.png", "img-src 'self' data: blob:;", ""},
		{"a templated inner label", "http://a.{s}.example.org/{z}/{x}/{y}.png", "img-src 'self' data: blob: http:;", "a.{s}.example.org"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := fixtureAtlas(t, 1)
			s := New(Options{Atlas: func() *geo.Atlas { return a }, BasemapURL: tt.basemap})
			rec := get(t, s, "/map")
			require.Equal(t, http.StatusOK, rec.Code)
			csp := rec.Header().Get("Content-Security-Policy")
			require.Contains(t, csp, tt.wantImg)
			require.Contains(t, csp, "script-src 'self';")
			require.Contains(t, csp, "connect-src 'self' http://example.com;")
			require.Contains(t, rec.Body.String(), `<meta name="gridwatch-basemap" content="`+attrEscape(tt.basemap)+`">`)
			require.Contains(t, rec.Body.String(), `<meta name="gridwatch-basemap-attribution" content="`+tt.wantAttr+`">`)
		})
	}
}

// attrEscape escapes an attribute value as html/template does for the
// characters the test URLs hold.
func attrEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "+", "&#43;").Replace(s)
}

func TestMap_BuiltAssetsAreSelfContained(t *testing.T) {
	t.Parallel()
	dist := web.Dist()
	index, err := fs.ReadFile(dist, "index.html")
	require.NoError(t, err)
	var names []string
	require.NoError(t, fs.WalkDir(dist, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, path)
		}
		return err
	}))
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			require.False(t, strings.HasSuffix(name, ".map"), "no source maps")
			b, err := fs.ReadFile(dist, name)
			require.NoError(t, err)
			text := string(b)
			require.NotContains(t, text, "sourceMappingURL", "no source maps")
			for _, remote := range []string{"fonts.googleapis", "unpkg.com", "cdn.jsdelivr", "cdnjs", "@import url(http"} {
				require.NotContains(t, text, remote)
			}
			if strings.HasPrefix(name, "assets/") {
				require.Contains(t, string(index), "/"+path.Base(name)+`"`, "index.html names every asset")
			}
		})
	}
}

func TestMap_LandingAndOpenAPIName(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, 5)
	doc := decode[landingDoc](t, get(t, s, "/"))
	l, ok := linkByRel(doc.Links, "related", mediaHTML)
	require.True(t, ok)
	require.Equal(t, "http://example.com/map", l.Href)

	api := decode[map[string]any](t, get(t, s, "/openapi.json"))
	paths := api["paths"].(map[string]any)
	require.Contains(t, paths, "/map")
	require.Contains(t, paths, "/map/assets/{asset}")
}
