package api

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/paulmach/orb/geojson"

	"gridwatch/geo"
)

//go:embed templates/*.html
var templateFS embed.FS

// pageNames are the HTML pages; each is templates/NAME.html inside
// templates/layout.html.
var pageNames = []string{"landing", "conformance", "collections", "collection", "items", "item", "api"}

// parsePages parses every page. The templates are embedded, so a parse
// error is a bug caught by any test.
func parsePages() map[string]*template.Template {
	layout := template.Must(template.New("layout.html").ParseFS(templateFS, "templates/layout.html"))
	pages := make(map[string]*template.Template, len(pageNames))
	for _, name := range pageNames {
		t := template.Must(template.Must(layout.Clone()).ParseFS(templateFS, "templates/"+name+".html"))
		pages[name] = t
	}
	return pages
}

// page is what every HTML page gets: a title, a description, the links of
// the resource, the landing page's URL, and the page's own data in Body.
type page struct {
	Title       string
	Description string
	Links       []link
	Root        string
	Body        any
}

// render writes an HTML page. The page is rendered before anything is
// written, so a failure is still a clean 500.
func (s *Server) render(w http.ResponseWriter, name string, p page) error {
	t, ok := s.pages[name]
	if !ok {
		return geo.Errorf(geo.Internal, "no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		return &geo.Error{Code: geo.Internal, Message: "render " + name, Err: err}
	}
	w.Header().Set("Content-Type", mediaHTML)
	_, err := w.Write(buf.Bytes())
	return err
}

// itemsPage is the data of the items page: a table of properties.
type itemsPage struct {
	Collection          string
	CollectionHref      string
	Columns             []string
	Rows                []itemRow
	Matched, Returned   int
	Next, Prev, GeoJSON string
}

// itemRow is one feature in the items table.
type itemRow struct {
	ID, Href string
	Cells    []string
}

func (s *Server) renderItems(w http.ResponseWriter, r *http.Request, d *layerData, onPage []int, matched int, links []link) error {
	p := itemsPage{Collection: d.schema.Title, CollectionHref: s.href(r, collectionPath(d.name), nil, formatHTML),
		Columns: []string{"id"}, Matched: matched, Returned: len(onPage)}
	for _, prop := range d.schema.Properties {
		p.Columns = append(p.Columns, prop.Name)
	}
	for _, l := range links {
		switch {
		case l.Rel == "next":
			p.Next = l.Href
		case l.Rel == "prev":
			p.Prev = l.Href
		case l.Rel == "alternate" && l.Type == mediaGeoJSON:
			p.GeoJSON = l.Href
		}
	}
	for _, i := range onPage {
		f := d.features[i]
		id := fmt.Sprint(f.ID)
		row := itemRow{ID: id, Href: s.href(r, itemPath(d.name, id), nil, formatHTML)}
		for _, c := range p.Columns[1:] {
			row.Cells = append(row.Cells, cellText(f.Properties[c]))
		}
		p.Rows = append(p.Rows, row)
	}
	return s.render(w, "items", page{Title: d.schema.Title, Description: d.schema.Description,
		Links: links, Root: s.href(r, "/", nil, formatHTML), Body: p})
}

// itemPage is the data of the page of one feature.
type itemPage struct {
	ID, Collection, CollectionHref, ItemsHref string
	Geometry                                  string
	Props                                     [][2]string
}

func (s *Server) renderItem(w http.ResponseWriter, r *http.Request, d *layerData, f *geojson.Feature, links []link) error {
	id := fmt.Sprint(f.ID)
	p := itemPage{ID: id, Collection: d.schema.Title,
		CollectionHref: s.href(r, collectionPath(d.name), nil, formatHTML),
		ItemsHref:      s.href(r, collectionPath(d.name)+"/items", nil, formatHTML),
		Geometry:       geometryText(f)}
	p.Props = append(p.Props, [2]string{"id", id})
	for _, prop := range d.schema.Properties {
		p.Props = append(p.Props, [2]string{prop.Name, cellText(f.Properties[prop.Name])})
	}
	return s.render(w, "item", page{Title: d.schema.Title + " " + id, Links: links,
		Root: s.href(r, "/", nil, formatHTML), Body: p})
}

// cellText renders a property value as text.
func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string, bool, int, float64:
		return propString(x)
	case []string:
		return strings.Join(x, ", ")
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = cellText(e)
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(v)
}

// geometryText summarises a feature's geometry: a point's position, or the
// type and bounding box.
func geometryText(f *geojson.Feature) string {
	if f.Geometry == nil {
		return "none"
	}
	b := f.Geometry.Bound()
	if b.Min == b.Max {
		return fmt.Sprintf("%s %.7f, %.7f", f.Geometry.GeoJSONType(), b.Min[0], b.Min[1])
	}
	return fmt.Sprintf("%s within %.7f, %.7f – %.7f, %.7f", f.Geometry.GeoJSONType(), b.Min[0], b.Min[1], b.Max[0], b.Max[1])
}

// apiPage lists the API's paths for the api.html page.
type apiPage struct {
	OpenAPI string
	Paths   []apiPath
}

type apiPath struct {
	Path, Summary, Description string
	Params                     []string
}

// apiDoc serves GET /api.html: the API definition as a page.
// firstOperation returns the path's GET operation, else its first other one.
func firstOperation(item oaPathItem) *oaOperation {
	for _, op := range []*oaOperation{item.Get, item.Post, item.Put, item.Patch, item.Delete} {
		if op != nil {
			return op
		}
	}
	return nil
}

func (s *Server) apiDoc(w http.ResponseWriter, r *http.Request) error {
	a, err := s.current()
	if err != nil {
		return err
	}
	if err := onlyParams(r.URL.Query(), "f"); err != nil {
		return err
	}
	if notModified(w, r, s.etag(r, formatHTML, metaTag(a.Meta))) {
		return nil
	}
	doc := s.openAPI(r, a.Meta)
	p := apiPage{OpenAPI: s.base(r) + "/openapi.json"}
	for _, path := range sortedKeys(doc.Paths) {
		op := firstOperation(doc.Paths[path])
		if op == nil {
			continue
		}
		ap := apiPath{Path: path, Summary: op.Summary, Description: op.Description}
		for _, prm := range op.Parameters {
			if prm.Ref != "" {
				prm = doc.Components.Parameters[strings.TrimPrefix(prm.Ref, ref("parameters", ""))]
			}
			ap.Params = append(ap.Params, prm.Name)
		}
		p.Paths = append(p.Paths, ap)
	}
	title, desc := describe(a.Meta)
	return s.render(w, "api", page{Title: title + " – API", Description: desc,
		Links: []link{{Href: p.OpenAPI, Rel: "service-desc", Type: mediaOpenAPI, Title: "OpenAPI 3.0 definition"}},
		Root:  s.href(r, "/", nil, formatHTML), Body: p})
}
