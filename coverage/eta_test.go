package coverage_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/coverage"
	"gridwatch/geo"
)

func TestETA_Defaults(t *testing.T) {
	t.Parallel()
	e := coverage.DefaultETA()
	require.NoError(t, e.Validate())
	tests := []struct {
		role geo.Role
		kmh  float64
	}{
		{geo.RolePolice, 40}, {geo.RoleAuxiliary, 30}, {geo.RoleGridWorker, 15}, {geo.RoleVolunteer, 4.68},
	}
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			t.Parallel()
			// 1 km at 1.4 circuity: 1,400 m at the role's speed.
			require.InDelta(t, 1400/(tt.kmh/3.6), e.Seconds(tt.role, 1000), 1e-9)
		})
	}
	require.True(t, math.IsInf(e.Seconds("sheriff", 1000), 1))
	require.Equal(t, []geo.Role{geo.RoleAuxiliary, geo.RoleGridWorker, geo.RolePolice, geo.RoleVolunteer}, e.Roles())
}

func TestETA_Validate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		set   func(e coverage.ETA)
		field string
	}{
		{"zero speed", func(e coverage.ETA) { e[geo.RolePolice] = coverage.Travel{SpeedMPS: 0, Circuity: 1.4} }, "speed_mps"},
		{"infinite speed", func(e coverage.ETA) { e[geo.RolePolice] = coverage.Travel{SpeedMPS: math.Inf(1), Circuity: 1.4} }, "speed_mps"},
		{"circuity below 1", func(e coverage.ETA) { e[geo.RoleVolunteer] = coverage.Travel{SpeedMPS: 1, Circuity: 0.9} }, "circuity"},
		{"missing role", func(e coverage.ETA) { delete(e, geo.RoleAuxiliary) }, "speed_mps"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := coverage.DefaultETA()
			tt.set(e)
			err := e.Validate()
			require.Equal(t, geo.Invalid, geo.ErrorCode(err))
			require.Equal(t, tt.field, err.(*geo.Error).Problems[0].Field)
		})
	}
}
