package api

import (
	"net/http"

	"gridwatch/geo"
)

// healthDoc reports the state of the server and its dataset.
type healthDoc struct {
	Status    string            `json:"status"`
	Dataset   string            `json:"dataset"`
	Synthetic bool              `json:"synthetic"`
	Versions  map[string]uint64 `json:"versions"`
	Counts    map[string]int    `json:"counts"`
}

// healthz serves GET /healthz: 200 with the dataset's name and each
// layer's version and count, or a 503 problem while no dataset is loaded.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	a, err := s.current()
	if err != nil {
		return err
	}
	if err := onlyParams(r.URL.Query()); err != nil {
		return err
	}
	tags, ds := s.atlasTags(a)
	if notModified(w, r, s.etag(r, formatJSON, tags...)) {
		return nil
	}
	doc := healthDoc{Status: "ok", Dataset: a.Meta.Name, Synthetic: a.Meta.Synthetic,
		Versions: map[string]uint64{}, Counts: map[string]int{}}
	for _, name := range geo.LayerNames {
		if d, ok := ds[name]; ok {
			doc.Versions[name] = d.version
			doc.Counts[name] = d.layer.Len()
		}
	}
	return writeJSON(w, mediaJSON, doc)
}
