package data

import (
	"math"
	"math/rand/v2"

	"gridwatch/geo"
)

// buildCameras installs the cameras: villagers' courtyard cameras in the
// settlements; the Rural Ground Network's public-area cameras, capture
// cameras at village entrances and high masts; the Xueliang project's
// cameras along roads, at key places and on town streets.
func (b *builder) buildCameras() error {
	rng := b.rng(stageCameras)
	b.courtyardCameras(rng)
	b.ruralNetworkCameras(rng)
	b.roadCameras(rng)
	b.placeCameras(rng)
	b.streetCameras(rng)
	for i, c := range b.ds.Cameras {
		c.ID = ids("C", 5, i, len(b.ds.Cameras))
	}
	return nil
}

// optics draws a camera's field of view and range, degrees and metres.
func optics(rng *rand.Rand, src geo.CameraSource, t geo.CameraType) (fov, rangeM float64) {
	switch {
	case src == geo.SourceCourtyard && t.Omnidirectional():
		fov, rangeM = 360, between(rng, 10, 40)
	case src == geo.SourceCourtyard:
		fov, rangeM = between(rng, 60, 110), between(rng, 10, 40)
	case t.Omnidirectional():
		fov, rangeM = 360, between(rng, 100, 300)
	case t == geo.TypeHighMast:
		fov, rangeM = between(rng, 60, 120), between(rng, 500, 1500)
	case t == geo.TypeFaceCapture || t == geo.TypeVehicleCapture:
		fov, rangeM = between(rng, 30, 60), between(rng, 30, 80)
	default:
		fov, rangeM = between(rng, 60, 110), between(rng, 50, 150)
	}
	return math.Round(fov), math.Round(rangeM)
}

// addCamera adds a camera at (x, y), metres, facing bearing.
func (b *builder) addCamera(rng *rand.Rand, src geo.CameraSource, t geo.CameraType, x, y, bearing float64) {
	offline, minDays, maxDays := 0.04, 730.0, 3650.0 // Xueliang: installed 2 to 10 years ago
	switch src {
	case geo.SourceRuralGroundNetwork:
		offline, minDays, maxDays = 0.06, 180, 2500
	case geo.SourceCourtyard:
		offline, minDays, maxDays = 0.08, 1, 2190
	}
	fov, rangeM := optics(rng, src, t)
	pt := b.m.f.point(x, y)
	days := int(between(rng, minDays, maxDays))
	b.ds.Cameras = append(b.ds.Cameras, &geo.Camera{
		Source: src, Type: t, Point: pt, BearingDeg: normDeg(bearing), FOVDeg: fov, RangeM: rangeM,
		Online: rng.Float64() >= offline, Installed: b.opt.AsOf.AddDate(0, 0, -days).UTC(), Grid: b.gridOf(pt),
	})
}

// bearingTo returns the bearing from (x, y) to (tx, ty), degrees.
func bearingTo(x, y, tx, ty float64) float64 {
	return math.Atan2(tx-x, ty-y) * 180 / math.Pi
}

// courtyardCameras: villagers' own cameras, in proportion to households
// (fewer in town, where compounds have their own).
func (b *builder) courtyardCameras(rng *rand.Rand) {
	for _, s := range b.setts {
		rate := 0.055
		if b.villages[b.grids[s.grid].village].kind == geo.KindCommunity {
			rate = 0.012
		}
		n := int(float64(s.hh)*rate*between(rng, 0.5, 1.5) + rng.Float64())
		for i := 0; i < n; i++ {
			x, y := s.randomPoint(rng)
			t := geo.TypeFixed
			if rng.Float64() < 0.25 {
				t = geo.TypeDome
			}
			b.addCamera(rng, geo.SourceCourtyard, t, x, y, rng.Float64()*360)
		}
	}
}

// ruralNetworkCameras: a public-area camera in most rural settlements,
// face and vehicle capture at every village entrance, and high masts
// watching over about half of the villages.
func (b *builder) ruralNetworkCameras(rng *rand.Rand) {
	for _, s := range b.setts {
		if b.villages[b.grids[s.grid].village].kind == geo.KindCommunity || rng.Float64() >= 0.6 {
			continue
		}
		x, y := s.randomPoint(rng)
		t := geo.TypeDome
		if rng.Float64() < 0.5 {
			t = geo.TypeFixed
		}
		b.addCamera(rng, geo.SourceRuralGroundNetwork, t, x, y, rng.Float64()*360)
	}
	for i, p := range b.places {
		info := b.placeInfo[i]
		if p.Kind != "village_entrance" || info.sett < 0 {
			continue
		}
		s := b.setts[info.sett]
		in := bearingTo(info.x, info.y, s.cx, s.cy)
		for _, t := range []geo.CameraType{geo.TypeFaceCapture, geo.TypeVehicleCapture} {
			x, y := info.x+rng.NormFloat64()*4, info.y+rng.NormFloat64()*4
			b.addCamera(rng, geo.SourceRuralGroundNetwork, t, x, y, in+rng.NormFloat64()*15)
		}
	}
	for _, v := range b.villages {
		if v.kind == geo.KindCommunity || rng.Float64() >= 0.55 {
			continue
		}
		s := b.setts[v.setts[0]]
		p := s.ring[rng.IntN(len(s.ring))]
		b.addCamera(rng, geo.SourceRuralGroundNetwork, geo.TypeHighMast, p[0], p[1], bearingTo(s.cx, s.cy, p[0], p[1]))
	}
}

// roadCameras: Xueliang cameras every 1.5 to 2.5 km along the roads.
func (b *builder) roadCameras(rng *rand.Rand) {
	next := rng.IntN(20)
	for i, s := range b.net.roads {
		if i < next {
			continue
		}
		next = i + 15 + rng.IntN(11)
		t := geo.TypeFixed
		switch u := rng.Float64(); {
		case u < 0.25:
			t = geo.TypePTZ
		case u < 0.4:
			t = geo.TypeVehicleCapture
		}
		side := 8.0
		bearing := s.bearing
		if rng.Float64() < 0.5 {
			side, bearing = -side, bearing+180
		}
		sn, cs := math.Sincos(s.bearing * math.Pi / 180)
		b.addCamera(rng, geo.SourceXueliang, t, s.x+side*cs, s.y-side*sn, bearing)
	}
}

// placeCameras: Xueliang cameras watching the key places, by kind.
func (b *builder) placeCameras(rng *rand.Rand) {
	f, p, d := geo.TypeFixed, geo.TypePTZ, geo.TypeDome
	face, plate := geo.TypeFaceCapture, geo.TypeVehicleCapture
	kinds := map[string][]geo.CameraType{
		"school": {face, d}, "kindergarten": {d}, "hospital": {p, f, f, face},
		"market": {p, d, d}, "government": {d, f}, "bank": {f, face},
		"bus_station": {p, face, plate}, "square": {p, d}, "petrol_station": {f, plate},
		"mosque": {d}, "clinic": {d},
	}
	for i, pl := range b.places {
		info := b.placeInfo[i]
		for _, t := range kinds[pl.Kind] {
			if pl.Kind == "clinic" && rng.Float64() < 0.5 {
				continue
			}
			th, r := rng.Float64()*2*math.Pi, between(rng, 10, 30)
			x, y := info.x+r*math.Cos(th), info.y+r*math.Sin(th)
			b.addCamera(rng, geo.SourceXueliang, t, x, y, bearingTo(x, y, info.x, info.y))
		}
	}
}

// streetCameras: two to four Xueliang cameras at the street corners of
// every urban grid.
func (b *builder) streetCameras(rng *rand.Rand) {
	for _, g := range b.grids {
		if b.villages[g.village].kind != geo.KindCommunity {
			continue
		}
		cs := b.m.corners(g.hexes[0])
		cx, cy := b.m.centre(g.hexes[0])
		for _, k := range shuffled(rng, len(cs))[:2+rng.IntN(3)] {
			// Just inside the corner, so that the camera is clearly in this grid.
			l := math.Hypot(cs[k][0]-cx, cs[k][1]-cy)
			x, y := cs[k][0]+(cx-cs[k][0])*12/l, cs[k][1]+(cy-cs[k][1])*12/l
			t := geo.TypeDome
			switch u := rng.Float64(); {
			case u < 0.4:
				t = geo.TypeFixed
			case u < 0.6:
				t = geo.TypePTZ
			}
			b.addCamera(rng, geo.SourceXueliang, t, x, y, rng.Float64()*360)
		}
	}
}
