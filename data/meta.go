package data

import (
	"encoding/json"

	"gridwatch/geo"
)

// EncodeMeta encodes dataset metadata as meta.json holds it.
func EncodeMeta(m geo.Meta) ([]byte, error) {
	mj := metaJSON{Name: m.Name, Description: m.Description, Synthetic: m.Synthetic, Seed: m.Seed, Scale: m.Scale}
	if !m.AsOf.IsZero() {
		mj.AsOf = m.AsOf.Format(DateLayout)
	}
	return json.Marshal(mj)
}

// DecodeMeta decodes metadata in the form of meta.json; unknown fields and
// a malformed as_of are Invalid errors.
func DecodeMeta(raw []byte) (geo.Meta, error) { return decodeMeta(raw) }
