package coverage

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// randomProblem builds a small random coverage problem: elements of random
// weight (some already covered) and candidates covering random subsets,
// grouped by twos or threes in sites.
func randomProblem(rng *rand.Rand, elems, cands int) *coverProblem {
	p := &coverProblem{}
	for range elems {
		parts := [3]float64{float64(rng.IntN(20)), float64(rng.IntN(3)), float64(rng.IntN(2))}
		p.parts = append(p.parts, parts)
		p.weight = append(p.weight, parts[0]+2*parts[1]+5*parts[2])
		p.covered = append(p.covered, rng.IntN(6) == 0)
	}
	site := int32(0)
	for c := range cands {
		var set []int32
		for e := range elems {
			if rng.IntN(4) == 0 {
				set = append(set, int32(e))
			}
		}
		p.cands = append(p.cands, set)
		if c > 0 && rng.IntN(2) == 0 {
			site++
		}
		p.site = append(p.site, site)
	}
	return p
}

// bruteOptimum returns the largest gain of at most budget candidates (at
// most one per site when onePerSite), by enumerating every subset.
func bruteOptimum(p *coverProblem, budget int, onePerSite bool) float64 {
	best := 0.0
	n := len(p.cands)
	for mask := 0; mask < 1<<n; mask++ {
		var cs []int
		sites := map[int32]bool{}
		ok := true
		for c := range n {
			if mask&(1<<c) == 0 {
				continue
			}
			if onePerSite && sites[p.site[c]] {
				ok = false
			}
			sites[p.site[c]] = true
			cs = append(cs, c)
		}
		if !ok || len(cs) > budget {
			continue
		}
		covered := append([]bool(nil), p.covered...)
		g := 0.0
		for _, c := range cs {
			for _, e := range p.cands[c] {
				if !covered[e] {
					covered[e] = true
					g += p.weight[e]
				}
			}
		}
		best = max(best, g)
	}
	return best
}

func TestGreedy_AgainstTheExactOptimum(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		onePerSite bool
		guarantee  float64
	}{
		{"independent candidates", false, GreedyGuarantee},
		{"one camera per site", true, GreedyGuaranteeOnePerSite},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(7, 11))
			worst, sum, n := 1.0, 0.0, 0
			for trial := range 60 {
				p := randomProblem(rng, 12+rng.IntN(10), 6+rng.IntN(7))
				budget := 1 + trial%4
				opt := bruteOptimum(p, budget, tc.onePerSite)
				lazy := p.lazyGreedy(budget, tc.onePerSite)
				require.Equal(t, p.plainGreedy(budget, tc.onePerSite), lazy, "trial %d: lazy and plain greedy differ", trial)
				var got float64
				for _, ch := range lazy {
					got += ch.gain
				}
				require.LessOrEqual(t, got, opt+1e-9, "trial %d", trial)
				if opt == 0 {
					continue
				}
				ratio := got / opt
				require.GreaterOrEqual(t, ratio, tc.guarantee, "trial %d: greedy %g, optimum %g", trial, got, opt)
				worst, sum, n = min(worst, ratio), sum+ratio, n+1
			}
			t.Logf("greedy / optimum over %d instances: worst %.4f, mean %.4f (guarantee %.4f)", n, worst, sum/float64(n), tc.guarantee)
		})
	}
}

func TestGreedy_MarginalGainsAddUpToTheTotal(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 5))
	for trial := range 20 {
		t.Run(fmt.Sprintf("trial %d", trial), func(t *testing.T) {
			p := randomProblem(rng, 40, 25)
			chosen := p.lazyGreedy(6, trial%2 == 0)
			var sum float64
			var parts [3]float64
			cs := make([]int, len(chosen))
			for i, ch := range chosen {
				sum += ch.gain
				for k := range parts {
					parts[k] += ch.parts[k]
				}
				cs[i] = ch.cand
				require.Greater(t, ch.gain, 0.0)
				if i > 0 {
					require.LessOrEqual(t, ch.gain, chosen[i-1].gain, "gains never grow")
				}
			}
			total, totalParts := p.unionGain(cs)
			require.Equal(t, total, sum)
			require.Equal(t, totalParts, parts)
			require.Equal(t, parts[0]+2*parts[1]+5*parts[2], sum)
		})
	}
}
