package postgis

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/jackc/pgx/v5"

	"gridwatch/data"
	"gridwatch/geo"
)

// dependents are the layers whose derived fields a write to a layer
// changes (the grid of cameras, incidents and places), as geo.Atlas bumps
// their versions too.
var dependents = map[string][]string{
	geo.LayerGrids: {geo.LayerCameras, geo.LayerIncidents, geo.LayerPlaces},
}

// Notice is the payload of a notification on ChannelOf(district): the district and
// change sequence of a commit and the layers it changed with their new
// versions.
type Notice struct {
	District string           `json:"district"`
	Seq      int64            `json:"seq"`
	Layers   map[string]int64 `json:"layers"`
}

// Commit writes changes in one transaction: when it returns, every change
// is committed or none is. Each change of a layer raises its version by
// one, as each write raises the version of a geo.Atlas layer by one (and a
// change of grids raises the versions of the layers whose grid field it
// derives): a process that applies the same changes to an atlas at the
// store's versions arrives at the store's new versions.
func (s *Store) Commit(ctx context.Context, changes []data.Change) error {
	if len(changes) == 0 {
		return nil
	}
	_, err := s.commit(ctx, changes, false)
	return err
}

// CommitState commits as Commit does and returns where the district stands
// just after the commit.
func (s *Store) CommitState(ctx context.Context, changes []data.Change) (State, error) {
	return s.commit(ctx, changes, false)
}

// commit runs one commit. With seed (a new district), every layer starts
// at version 1, as in a new geo.Atlas.
func (s *Store) commit(ctx context.Context, changes []data.Change, seed bool) (State, error) {
	var st State
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		st, err = s.commitTx(ctx, tx, changes, seed)
		return err
	})
	if err != nil {
		return State{}, s.wrap(fmt.Sprintf("commit %d changes to", len(changes)), err)
	}
	return st, nil
}

func (s *Store) commitTx(ctx context.Context, tx pgx.Tx, changes []data.Change, seed bool) (State, error) {
	if err := lockDistrict(ctx, tx, s.district); err != nil {
		return State{}, err
	}
	var seq int64
	if err := tx.QueryRow(ctx, `SELECT nextval('`+changeSeq+`')`).Scan(&seq); err != nil {
		return State{}, err
	}
	if err := s.checkVersions(ctx, tx, changes); err != nil {
		return State{}, err
	}
	b := &pgx.Batch{}
	counts := map[string]int64{} // changes per layer
	replaced := map[string]bool{}
	for i, c := range changes {
		if c.Meta != nil {
			raw, err := data.EncodeMeta(*c.Meta)
			if err != nil {
				return State{}, err
			}
			b.Queue(`INSERT INTO `+metaTable+` (district, key, value) VALUES ($1, 'dataset', $2)
				ON CONFLICT (district, key) DO UPDATE SET value = excluded.value`, s.district, string(raw))
		}
		if c.Layer == "" {
			continue
		}
		sc, ok := data.SchemaOf(c.Layer)
		if !ok {
			return State{}, geo.Errorf(geo.NotFound, "change %d: no layer %q", i, c.Layer)
		}
		if err := s.queueChange(b, sc, seq, c); err != nil {
			return State{}, fmt.Errorf("change %d (%s): %w", i, c.Layer, err)
		}
		counts[c.Layer]++
		if c.Replace {
			replaced[c.Layer] = true
		}
	}
	for layer, n := range maps.Clone(counts) {
		for _, d := range dependents[layer] {
			counts[d] += n
		}
	}
	if seed {
		for _, name := range geo.LayerNames {
			counts[name] = 1
		}
	}
	layers := slices.Sorted(maps.Keys(counts))
	for _, layer := range layers {
		b.Queue(`INSERT INTO `+layersTable+` AS l (district, layer, version, seq, reload_seq, last_change)
			VALUES ($1, $2, $5::bigint, $3::bigint, CASE WHEN $4::boolean THEN $3::bigint ELSE 0 END, now())
			ON CONFLICT (district, layer) DO UPDATE SET version = l.version + excluded.version, seq = excluded.seq,
			reload_seq = CASE WHEN $4::boolean THEN excluded.seq ELSE l.reload_seq END, last_change = excluded.last_change`,
			s.district, layer, seq, replaced[layer], counts[layer])
	}
	b.Queue(`INSERT INTO `+stateTable+` (district, seq) VALUES ($1, $2)
		ON CONFLICT (district) DO UPDATE SET seq = excluded.seq`, s.district, seq)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return State{}, err
	}
	st, err := readState(ctx, tx, s.district)
	if err != nil {
		return State{}, err
	}
	n := Notice{District: s.district, Seq: seq, Layers: map[string]int64{}}
	for _, layer := range layers {
		n.Layers[layer] = st.Versions[layer]
	}
	payload, err := json.Marshal(n)
	if err != nil {
		return State{}, err
	}
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, ChannelOf(s.district), string(payload)); err != nil {
		return State{}, err
	}
	return st, nil
}

// checkVersions refuses a commit whose conditional changes were checked
// against a layer version that is no longer the store's (another process
// committed to the layer since): under the commit lock, so two processes
// cannot both win.
func (s *Store) checkVersions(ctx context.Context, tx pgx.Tx, changes []data.Change) error {
	var st *State
	for i, c := range changes {
		if c.IfVersion == 0 {
			continue
		}
		if st == nil {
			got, err := readState(ctx, tx, s.district)
			if err != nil {
				return err
			}
			st = &got
		}
		if v := st.Versions[c.Layer]; v != int64(c.IfVersion) {
			return geo.Errorf(geo.Precondition, "change %d: %s is at version %d in the store, the write was checked against %d; read it again and retry",
				i, c.Layer, v, c.IfVersion)
		}
	}
	return nil
}

// queueChange queues the statements of one change.
func (s *Store) queueChange(b *pgx.Batch, sc data.LayerSchema, seq int64, c data.Change) error {
	t := ident(sc.Name)
	if c.Replace {
		b.Queue(`WITH d AS (DELETE FROM `+t+` WHERE district = $1 RETURNING "id")
			INSERT INTO `+deletedTable+` (district, layer, id, seq) SELECT $1, $2, "id", $3 FROM d
			ON CONFLICT (district, layer, id) DO UPDATE SET seq = excluded.seq`, s.district, sc.Name, seq)
	}
	if len(c.Remove) > 0 {
		b.Queue(`WITH d AS (DELETE FROM `+t+` WHERE district = $1 AND "id" = ANY($4) RETURNING "id")
			INSERT INTO `+deletedTable+` (district, layer, id, seq) SELECT $1, $2, "id", $3 FROM d
			ON CONFLICT (district, layer, id) DO UPDATE SET seq = excluded.seq`, s.district, sc.Name, seq, c.Remove)
	}
	if len(c.Items) == 0 {
		return nil
	}
	q := upsertSQL(sc)
	ids := make([]string, len(c.Items))
	for i, it := range c.Items {
		args, err := rowArgs(sc, s.district, seq, it)
		if err != nil {
			return err
		}
		b.Queue(q, args...)
		ids[i] = it.FeatureID()
	}
	b.Queue(`DELETE FROM `+deletedTable+` WHERE district = $1 AND layer = $2 AND id = ANY($3)`, s.district, sc.Name, ids)
	return nil
}
