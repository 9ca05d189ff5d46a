package postgis

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"gridwatch/data"
	"gridwatch/geo"
)

// Delta is what changed in a district after some change sequence: read
// by a replica to bring its snapshot up to date without reading the
// rows that did not change.
type Delta struct {
	// State is where the district stands after the delta.
	State State
	// Meta is the dataset's metadata (always read: it is one row).
	Meta geo.Meta
	// Layers holds the layers that changed.
	Layers map[string]*LayerDelta
}

// LayerDelta is one layer's part of a Delta.
type LayerDelta struct {
	// Reload means the layer was replaced: Items is then its whole content,
	// in order, and Removed is empty.
	Reload bool
	// Items are the rows written, in layer order: each replaces the item of
	// its id, or comes after the others.
	Items []geo.Feature
	// Removed are the ids deleted (and not written again).
	Removed []string
}

// Changes reads, from one snapshot, every layer changed by a commit after
// seq: the rows written after it and the ids deleted after it, or the
// whole layer when it was replaced after it.
func (s *Store) Changes(ctx context.Context, after int64) (*Delta, error) {
	d := &Delta{Layers: map[string]*LayerDelta{}}
	var all geo.Problems
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		var err error
		if d.State, err = readState(ctx, tx, s.district); err != nil {
			return err
		}
		if d.State.Seq <= after {
			return nil
		}
		if d.Meta, err = readMeta(ctx, tx, s.district); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT layer, reload_seq > $2 FROM `+layersTable+` WHERE district = $1 AND seq > $2`, s.district, after)
		if err != nil {
			return err
		}
		changed := map[string]bool{}
		for rows.Next() {
			var layer string
			var reload bool
			if err := rows.Scan(&layer, &reload); err != nil {
				rows.Close()
				return err
			}
			changed[layer] = reload
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for layer, reload := range changed {
			sc, ok := data.SchemaOf(layer)
			if !ok {
				continue
			}
			ld := &LayerDelta{Reload: reload}
			from := after
			if reload {
				from = 0
			}
			items, ps, err := readLayer(ctx, tx, sc, s.district, from)
			if err != nil {
				return err
			}
			all = append(all, ps...)
			ld.Items = items
			if !reload {
				rows, err := tx.Query(ctx, `SELECT id FROM `+deletedTable+` WHERE district = $1 AND layer = $2 AND seq > $3`, s.district, layer, after)
				if err != nil {
					return err
				}
				if ld.Removed, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
					return err
				}
			}
			d.Layers[layer] = ld
		}
		return nil
	})
	if err != nil {
		return nil, s.wrap(fmt.Sprintf("read changes after %d from", after), err)
	}
	if err := all.Err("invalid rows in " + s.where); err != nil {
		return nil, err
	}
	return d, nil
}
