package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/go-chi/chi/v5"

	"gridwatch/geo"
	"gridwatch/web"
)

// The map page (GET /map) is the built front end of package web: one HTML
// page and its content-hashed script and stylesheet under /map/assets/. It
// loads nothing from outside the server unless a basemap tile URL is
// configured (Options.BasemapURL).

// mapPageParams are the query parameters the page reads in the browser.
var mapPageParams = []string{"layers", "figure", "variant", "township", "village", "lang", "view"}

// mapPageData fills the page's template.
type mapPageData struct {
	// Root is the absolute URL of the API root, which the page calls.
	Root string
	// Assets is the URL of the folder of the page's script and stylesheet.
	Assets string
	// Basemap is the tile URL template ({z}/{x}/{y}), empty for none.
	Basemap string
	// Attribution credits the basemap.
	Attribution string
}

// mapPage serves GET /map.
func (s *Server) mapPage(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r.URL.Query(), mapPageParams...); err != nil {
		return err
	}
	t, err := template.ParseFS(web.Dist(), "index.html")
	if err != nil {
		return &geo.Error{Code: geo.Internal, Message: "parse the map page", Err: err}
	}
	root := s.base(r)
	data := mapPageData{Root: root, Assets: root + "/map/assets", Basemap: s.basemap}
	if s.basemap != "" {
		data.Attribution = basemapHost(s.basemap)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return &geo.Error{Code: geo.Internal, Message: "render the map page", Err: err}
	}
	sum := sha256.Sum256(buf.Bytes())
	if notModified(w, r, s.etag(r, formatHTML, hex.EncodeToString(sum[:]))) {
		return nil
	}
	h := w.Header()
	h.Set("Content-Type", mediaHTML)
	h.Set("Cache-Control", "no-cache")
	h.Set("Content-Security-Policy", mapCSP(root, s.basemap))
	h.Set("X-Content-Type-Options", "nosniff")
	_, err = w.Write(buf.Bytes())
	return err
}

// mapAssetTypes are the media types of the page's assets by extension.
var mapAssetTypes = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
}

// mapAsset serves GET /map/assets/NAME. The names carry a hash of their
// content, so an asset never changes and may be cached for a year.
func (s *Server) mapAsset(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r.URL.Query()); err != nil {
		return err
	}
	name := chi.URLParam(r, "*")
	media, known := mapAssetTypes[path.Ext(name)]
	if !strings.HasPrefix(name, "assets/") || strings.Contains(name, "..") || !known {
		return geo.Errorf(geo.NotFound, "no map asset %s", quote(name))
	}
	body, err := fs.ReadFile(web.Dist(), name)
	if err != nil {
		return geo.Errorf(geo.NotFound, "no map asset %s", quote(name))
	}
	tag := `"` + strings.TrimSuffix(path.Base(name), path.Ext(name)) + `"`
	h := w.Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	if notModified(w, r, tag) {
		return nil
	}
	h.Set("Content-Type", media)
	h.Set("X-Content-Type-Options", "nosniff")
	_, err = w.Write(body)
	return err
}

// mapCSP is the page's content security policy: scripts, styles and fonts
// only from the server, API calls to the API root, images from the server
// and the basemap's host. A page that tried to load anything else (a CDN, a
// remote font) would be refused by the browser.
func mapCSP(root, basemap string) string {
	img := "'self' data: blob:"
	if o := basemapSource(basemap); o != "" {
		img += " " + o
	}
	connect := "'self'"
	if o := originOf(root); o != "" {
		connect += " " + o
	}
	return strings.Join([]string{
		"default-src 'none'",
		"script-src 'self'",
		"style-src 'self' 'unsafe-inline'",
		"img-src " + img,
		"font-src 'self'",
		"connect-src " + connect,
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'self'",
	}, "; ")
}

// originOf returns scheme://host of an absolute URL, or "".
func originOf(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok || scheme == "" {
		return ""
	}
	host, _, _ := strings.Cut(rest, "/")
	if host == "" {
		return ""
	}
	return scheme + "://" + host
}

// basemapHost returns the host of a tile URL template, for the attribution,
// without a templated first label ("t{s}.example.org" gives "example.org").
func basemapHost(tmpl string) string {
	_, rest, ok := strings.Cut(tmpl, "://")
	if !ok {
		return ""
	}
	host, _, _ := strings.Cut(rest, "/")
	if first, others, ok := strings.Cut(host, "."); ok && strings.Contains(first, "{") {
		return others
	}
	return host
}

// basemapSource returns the CSP source of a tile URL template: its origin,
// with a templated first host label ("t{s}.example.org") as a wildcard
// ("*.example.org"). A relative template is served by the server itself.
func basemapSource(tmpl string) string {
	o := originOf(tmpl)
	if o == "" {
		return ""
	}
	scheme, host, _ := strings.Cut(o, "://")
	if !strings.ContainsAny(host, "{}") {
		return o
	}
	first, rest, ok := strings.Cut(host, ".")
	if !ok || !strings.Contains(first, "{") || strings.ContainsAny(rest, "{}") {
		return scheme + ":"
	}
	return scheme + "://*." + rest
}
