package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"gridwatch/geo"
)

// peerCoverageSQL is the PostGIS side of the coverage comparison: per
// grid, the union of the viewsheds that meet it, cut by the grid, and both
// areas on the spheroid (geography). Shares are compared, so the
// spheroid's areas and gridwatch's spherical ones cancel.
const peerCoverageSQL = `SELECT g.id, ST_Area(g.geom::geography) AS area,
       ST_Area(ST_Intersection(g.geom, ST_Union(v.geom))::geography) AS covered
FROM grids g JOIN viewsheds v ON ST_Intersects(g.geom, v.geom)
GROUP BY g.id, g.geom`

// peerNearestSQL is the PostGIS side of the nearest comparison: the k
// nearest available responders by geodesic distance (the GiST index on
// geography orders them).
const peerNearestSQL = `SELECT id, ST_Distance(geog, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography) AS d
FROM responders WHERE available
ORDER BY geog <-> ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography LIMIT $3`

// peerNearestPlanarSQL orders by plain geometry distance, in degrees: the
// pitfall docs/response.md names (a degree of longitude is shorter than
// one of latitude here).
const peerNearestPlanarSQL = `SELECT id FROM responders WHERE available
ORDER BY geom <-> ST_SetSRID(ST_MakePoint($1, $2), 4326) LIMIT $3`

// loadPeer creates and fills the peer's tables from the atlas: the grids,
// gridwatch's own viewshed polygons (geo.Viewshed) and the responders,
// each with a GiST index, and analyses them.
func loadPeer(ctx context.Context, pool *pgxpool.Pool, a *geo.Atlas) error {
	stmts := []string{
		`CREATE TABLE grids (id text PRIMARY KEY, geom geometry(Polygon, 4326) NOT NULL)`,
		`CREATE TABLE viewsheds (id text PRIMARY KEY, online boolean NOT NULL, geom geometry(Polygon, 4326) NOT NULL)`,
		`CREATE TABLE responders (id text PRIMARY KEY, available boolean NOT NULL, geom geometry(Point, 4326) NOT NULL, geog geography(Point, 4326) NOT NULL)`,
	}
	for _, s := range stmts {
		if _, err := pool.Exec(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	grids := make([][]any, 0, a.Grids.Len())
	for _, g := range a.Grids.Items() {
		grids = append(grids, []any{g.ID, mustWKB(g.Polygon)})
	}
	views := make([][]any, 0, a.Cameras.Len())
	for _, c := range a.Cameras.Items() {
		views = append(views, []any{c.ID, c.Online, mustWKB(geo.Viewshed(c))})
	}
	resp := make([][]any, 0, a.Responders.Len())
	for _, r := range a.Responders.Items() {
		resp = append(resp, []any{r.ID, r.Available, mustWKB(r.Point)})
	}
	if err := copyWKB(ctx, pool, "grids", []string{"id", "geom"}, grids, "id, ST_SetSRID(ST_GeomFromWKB(geom), 4326)"); err != nil {
		return err
	}
	if err := copyWKB(ctx, pool, "viewsheds", []string{"id", "online", "geom"}, views, "id, online, ST_SetSRID(ST_GeomFromWKB(geom), 4326)"); err != nil {
		return err
	}
	if err := copyWKB(ctx, pool, "responders", []string{"id", "available", "geom"}, resp,
		"id, available, ST_SetSRID(ST_GeomFromWKB(geom), 4326), ST_SetSRID(ST_GeomFromWKB(geom), 4326)::geography"); err != nil {
		return err
	}
	for _, s := range []string{
		`CREATE INDEX ON grids USING gist (geom)`,
		`CREATE INDEX ON viewsheds USING gist (geom)`,
		`CREATE INDEX ON responders USING gist (geog)`,
		`CREATE INDEX ON responders USING gist (geom)`,
		`ANALYZE`,
	} {
		if _, err := pool.Exec(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

func mustWKB(g orb.Geometry) []byte {
	b, err := wkb.Marshal(g)
	if err != nil {
		panic(err)
	}
	return b
}

// copyWKB copies rows (the last column WKB) into a staging table and
// inserts them into table with the select list sel.
func copyWKB(ctx context.Context, pool *pgxpool.Pool, table string, cols []string, rows [][]any, sel string) error {
	stage := table + "_stage"
	types := map[string]string{"id": "text", "online": "boolean", "available": "boolean", "geom": "bytea"}
	def := ""
	for i, c := range cols {
		if i > 0 {
			def += ", "
		}
		def += c + " " + types[c]
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "CREATE TEMP TABLE "+stage+" ("+def+")"); err != nil {
		return err
	}
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{stage}, cols, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("copy %s: %w", table, err)
	}
	if _, err := conn.Exec(ctx, "INSERT INTO "+table+" SELECT "+sel+" FROM "+stage); err != nil {
		return fmt.Errorf("insert %s: %w", table, err)
	}
	return nil
}

// peerShares runs peerCoverageSQL and returns each grid's share, by id,
// and how long the query took.
func peerShares(ctx context.Context, pool *pgxpool.Pool) (map[string]float64, time.Duration, error) {
	start := time.Now()
	rows, err := pool.Query(ctx, peerCoverageSQL)
	if err != nil {
		return nil, 0, err
	}
	out := map[string]float64{}
	for rows.Next() {
		var id string
		var area, covered float64
		if err := rows.Scan(&id, &area, &covered); err != nil {
			return nil, 0, err
		}
		if area > 0 {
			out[id] = covered / area
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return out, time.Since(start), nil
}

// peerNearest returns the ids of the k nearest available responders.
func peerNearest(ctx context.Context, pool *pgxpool.Pool, sql string, pt orb.Point, k int) ([]string, error) {
	rows, err := pool.Query(ctx, sql, pt[0], pt[1], k)
	if err != nil {
		return nil, err
	}
	ids, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
		var id string
		var d float64
		if len(r.FieldDescriptions()) == 1 {
			return id, r.Scan(&id)
		}
		return id, r.Scan(&id, &d)
	})
	return ids, err
}

// peerServer serves the PostGIS nearest query over HTTP, as a minimal Go
// server would: GET /nearest?lon=&lat=&k= answers a JSON array of
// {id, distance_m}.
func peerServer(pool *pgxpool.Pool) (url string, stop func(), err error) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /nearest", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		lon, err1 := strconv.ParseFloat(q.Get("lon"), 64)
		lat, err2 := strconv.ParseFloat(q.Get("lat"), 64)
		k, err3 := strconv.Atoi(q.Get("k"))
		if err1 != nil || err2 != nil || err3 != nil || k < 1 || k > 100 {
			http.Error(w, "lon, lat and k (1 to 100) are required", http.StatusBadRequest)
			return
		}
		rows, err := pool.Query(r.Context(), peerNearestSQL, lon, lat, k)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		type hit struct {
			ID        string  `json:"id"`
			DistanceM float64 `json:"distance_m"`
		}
		hits, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (hit, error) {
			var h hit
			return h, r.Scan(&h.ID, &h.DistanceM)
		})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(hits)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}
