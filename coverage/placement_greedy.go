package coverage

import (
	"container/heap"
	"math"
)

// coverProblem is a weighted maximum coverage problem: elements with a
// weight in each of three kinds (population, incidents, places), some
// already covered, and candidates that each cover a set of elements, grouped
// in sites.
type coverProblem struct {
	weight  []float64    // the weighted value of each element
	parts   [][3]float64 // each element's unweighted population, incidents and places
	covered []bool       // elements covered before any choice
	cands   [][]int32    // the elements each candidate covers (no repeats)
	site    []int32      // each candidate's site
	stop    *stopper     // ends the search early; nil never does
}

// stopped reports whether the search must end (its context has).
func (p *coverProblem) stopped() bool { return p.stop != nil && p.stop.stop() }

// choice is one chosen candidate and its marginal gains.
type choice struct {
	cand  int
	gain  float64
	parts [3]float64
}

// greedyState is the state of a greedy run: which elements are covered and
// which sites are used.
type greedyState struct {
	p         *coverProblem
	covered   []bool
	usedSite  map[int32]bool
	onePerSit bool
}

func newGreedyState(p *coverProblem, onePerSite bool) *greedyState {
	return &greedyState{p: p, covered: append([]bool(nil), p.covered...), usedSite: map[int32]bool{}, onePerSit: onePerSite}
}

// gain returns candidate c's marginal gain: the weight of the elements it
// covers that nothing covers yet, summed in the candidate's element order
// (so that every evaluation of the same state gives the same number).
func (s *greedyState) gain(c int) float64 {
	var g float64
	for _, e := range s.p.cands[c] {
		if !s.covered[e] {
			g += s.p.weight[e]
		}
	}
	return g
}

// allowed reports whether candidate c may still be chosen.
func (s *greedyState) allowed(c int) bool { return !s.onePerSit || !s.usedSite[s.p.site[c]] }

// take chooses candidate c and returns its marginal gains.
func (s *greedyState) take(c int) choice {
	ch := choice{cand: c}
	for _, e := range s.p.cands[c] {
		if s.covered[e] {
			continue
		}
		s.covered[e] = true
		ch.gain += s.p.weight[e]
		for k := range ch.parts {
			ch.parts[k] += s.p.parts[e][k]
		}
	}
	s.usedSite[s.p.site[c]] = true
	return ch
}

// plainGreedy chooses up to budget candidates, each time the one of
// largest marginal gain (ties to the lowest index), evaluating every
// candidate each round; it stops when no candidate gains anything.
func (p *coverProblem) plainGreedy(budget int, onePerSite bool) []choice {
	s := newGreedyState(p, onePerSite)
	var out []choice
	for len(out) < budget && !p.stopped() {
		best, bestGain := -1, 0.0
		for c := range p.cands {
			if !s.allowed(c) {
				continue
			}
			if g := s.gain(c); g > bestGain {
				best, bestGain = c, g
			}
		}
		if best < 0 {
			break
		}
		out = append(out, s.take(best))
	}
	return out
}

// lazyGreedy gives the same choices as plainGreedy, evaluating fewer
// candidates: it keeps every candidate's last gain in a priority queue.
// Coverage is submodular (a candidate's marginal gain never grows as
// others are chosen), so a stale gain is an upper bound of the current
// one; the candidate at the top whose gain is current beats every other
// (ties to the lowest index, as the queue orders equal bounds by index).
func (p *coverProblem) lazyGreedy(budget int, onePerSite bool) []choice {
	s := newGreedyState(p, onePerSite)
	q := make(boundQueue, 0, len(p.cands))
	for c := range p.cands {
		if g := s.gain(c); g > 0 {
			q = append(q, bound{gain: g, cand: c, round: 0})
		}
	}
	heap.Init(&q)
	var out []choice
	for len(out) < budget && q.Len() > 0 && !p.stopped() {
		top := q[0]
		switch {
		case !s.allowed(top.cand):
			heap.Pop(&q)
		case top.round == len(out):
			heap.Pop(&q)
			out = append(out, s.take(top.cand))
		default:
			q[0].gain, q[0].round = s.gain(top.cand), len(out)
			if q[0].gain <= 0 {
				heap.Pop(&q)
			} else {
				heap.Fix(&q, 0)
			}
		}
	}
	return out
}

// bound is a candidate's gain as last evaluated, in round round.
type bound struct {
	gain  float64
	cand  int
	round int
}

// boundQueue is a max-heap of bounds by gain, then lowest candidate.
type boundQueue []bound

func (q boundQueue) Len() int { return len(q) }
func (q boundQueue) Less(i, j int) bool {
	if q[i].gain != q[j].gain {
		return q[i].gain > q[j].gain
	}
	return q[i].cand < q[j].cand
}
func (q boundQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }

// Push implements heap.Interface.
func (q *boundQueue) Push(x any) { *q = append(*q, x.(bound)) }

// Pop implements heap.Interface.
func (q *boundQueue) Pop() any {
	old := *q
	b := old[len(old)-1]
	*q = old[:len(old)-1]
	return b
}

// unionGain returns the weight newly covered by choosing every candidate
// in cs together, and its parts.
func (p *coverProblem) unionGain(cs []int) (float64, [3]float64) {
	s := newGreedyState(p, false)
	var g float64
	var parts [3]float64
	for _, c := range cs {
		ch := s.take(c)
		g += ch.gain
		for k := range parts {
			parts[k] += ch.parts[k]
		}
	}
	return g, parts
}

// Guarantees of the greedy placement, as a share of the optimum.
const (
	// GreedyGuarantee holds for independent candidates: 1 − 1/e.
	GreedyGuarantee = 1 - 1/math.E
	// GreedyGuaranteeOnePerSite holds with at most one camera per site
	// (a partition matroid): ½.
	GreedyGuaranteeOnePerSite = 0.5
)
