package api

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"sync"
)

// answerCacheBytes bounds the encoded answers an answerCache keeps (their
// bodies and gzipped bodies together).
const answerCacheBytes = 96 << 20

// answerCache keeps encoded answers of large analyses by ETag: the ETag
// covers everything an answer depends on (the layers read, the caller's
// role, the path, the query and the resolved window), so an answer with
// the same ETag is the same bytes. A repeated request is then served
// from its bytes (or their gzip, compressed once) without being computed
// or encoded again. The least recently used answers go first.
type answerCache struct {
	mu    sync.Mutex
	size  int
	order []*encodedAnswer // most recently used first
}

// encodedAnswer is one answer's body and, once asked for, its gzip.
type encodedAnswer struct {
	tag, mediaType string
	body           []byte
	gzOnce         sync.Once
	gz             []byte
}

func newAnswerCache() *answerCache { return &answerCache{} }

// get returns the answer with ETag tag, or nil.
func (c *answerCache) get(tag string) *encodedAnswer {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, a := range c.order {
		if a.tag == tag {
			copy(c.order[1:i+1], c.order[:i])
			c.order[0] = a
			return a
		}
	}
	return nil
}

// put keeps an answer (unless it alone is larger than the cache) and
// returns it.
func (c *answerCache) put(tag, mediaType string, body []byte) *encodedAnswer {
	a := &encodedAnswer{tag: tag, mediaType: mediaType, body: body}
	if 2*len(body) > answerCacheBytes {
		return a
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.order = append([]*encodedAnswer{a}, c.order...)
	c.size += len(body)
	for c.size > answerCacheBytes && len(c.order) > 1 {
		last := c.order[len(c.order)-1]
		c.size -= len(last.body) + len(last.gz)
		c.order = c.order[:len(c.order)-1]
	}
	return a
}

// gzipped returns the body's gzip, compressing it on first use. The
// cache counts its size once it exists.
func (a *encodedAnswer) gzipped(c *answerCache) []byte {
	a.gzOnce.Do(func() {
		var buf bytes.Buffer
		buf.Grow(len(a.body) / 4)
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
		_, _ = zw.Write(a.body)
		_ = zw.Close()
		a.gz = buf.Bytes()
		c.mu.Lock()
		c.size += len(a.gz)
		c.mu.Unlock()
	})
	return a.gz
}

// write sends the answer, gzipped when the client accepts it (the
// gzipResponses middleware leaves a response with Content-Encoding set
// alone).
func (a *encodedAnswer) write(w http.ResponseWriter, r *http.Request, c *answerCache) error {
	h := w.Header()
	h.Set("Content-Type", a.mediaType)
	body := a.body
	if r.Method != http.MethodHead && acceptsGzip(r.Header.Get("Accept-Encoding")) {
		body = a.gzipped(c)
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	_, err := w.Write(body)
	return err
}
