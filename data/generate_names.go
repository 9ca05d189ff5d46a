package data

import (
	"fmt"
	"math/rand/v2"
)

// Syllables of generated place names, after the auspicious two-character
// names common among the planned resettlement villages, and of people's
// names (Ma and other Hui surnames are frequent in the region).
const (
	stemFirst  = "弘兴和永丰泰华祥瑞福宁同利光明正惠顺长春团友振红胜新康富民安乐德盛鸿金玉兆开育恒清"
	stemSecond = "德盛平安康富民新丰泰华乐祥瑞福宁和利光明源泉川湾台塘庄园兴旺顺隆荣昌"
	surnames   = "马马马马王王李李张杨杨田海白丁冯刘陈周金苏韩何罗虎拜余纳哈"
	givenChars = "建国军华明强伟芳娟霞丽勇平红学文福成忠兰花秀梅宏海涛斌鹏燕玲英龙德义礼智信仁春雪晓东亮磊静婷俊杰"
)

// namer draws unique place-name stems and people's names.
type namer struct {
	rng    *rand.Rand
	first  []rune
	second []rune
	sur    []rune
	given  []rune
	used   map[string]bool
}

func newNamer(rng *rand.Rand) *namer {
	return &namer{rng: rng, first: []rune(stemFirst), second: []rune(stemSecond),
		sur: []rune(surnames), given: []rune(givenChars), used: map[string]bool{}}
}

// stem returns a place-name stem not returned before: two characters while
// they last, then three, then numbered.
func (n *namer) stem() string {
	for length := 2; length <= 3; length++ {
		for try := 0; try < 60; try++ {
			s := []rune{n.first[n.rng.IntN(len(n.first))]}
			for len(s) < length {
				s = append(s, n.second[n.rng.IntN(len(n.second))])
			}
			if s[0] == s[1] || n.used[string(s)] {
				continue
			}
			n.used[string(s)] = true
			return string(s)
		}
	}
	for i := 1; ; i++ {
		s := fmt.Sprintf("%c%c%d", n.first[n.rng.IntN(len(n.first))], n.second[n.rng.IntN(len(n.second))], i)
		if !n.used[s] {
			n.used[s] = true
			return s
		}
	}
}

// person returns a person's name: a surname and one or two given characters.
func (n *namer) person() string {
	s := []rune{n.sur[n.rng.IntN(len(n.sur))], n.given[n.rng.IntN(len(n.given))]}
	if n.rng.Float64() < 0.7 {
		s = append(s, n.given[n.rng.IntN(len(n.given))])
	}
	return string(s)
}

// numeral writes n (1 or more) in Chinese numerals up to 99, in digits above.
func numeral(n int) string {
	digits := []rune("零一二三四五六七八九")
	switch {
	case n < 1 || n > 99:
		return fmt.Sprint(n)
	case n < 10:
		return string(digits[n])
	case n == 10:
		return "十"
	case n < 20:
		return "十" + string(digits[n-10])
	case n%10 == 0:
		return string(digits[n/10]) + "十"
	}
	return string(digits[n/10]) + "十" + string(digits[n%10])
}
