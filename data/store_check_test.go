package data

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"gridwatch/geo"
)

// Finding 11: a 0-byte gridwatch.gpkg was silently replaced by the seed.
// Only a directory without a store file is seeded; an empty, truncated or
// foreign file is refused with ErrStoreDamaged and left as it was.
func TestStore_RefusesADamagedFileInsteadOfSeeding(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	seeded := false
	seed := StoreOptions{Seed: func() (*geo.Dataset, error) { seeded = true; return tinyDataset(t), nil }}

	good, goodDir := openTiny(t)
	require.NoError(t, good.Close())
	whole, err := os.ReadFile(filepath.Join(goodDir, StoreFile))
	require.NoError(t, err)
	require.Greater(t, len(whole), 8192)

	for name, content := range map[string][]byte{
		"empty":     {},
		"truncated": whole[:len(whole)/2],
		"header":    whole[:10],
		"foreign":   []byte("not a database at all, but long enough to hold a header"),
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, StoreFile)
			require.NoError(t, os.WriteFile(path, content, 0o600))
			_, err := OpenStore(ctx, dir, seed)
			require.ErrorIs(t, err, ErrStoreDamaged)
			require.Contains(t, err.Error(), path)
			after, rerr := os.ReadFile(path)
			require.NoError(t, rerr)
			require.Equal(t, content, after, "the file is left as it was")
		})
	}
	require.False(t, seeded, "no damaged store was seeded over")

	// A WAL without its database is refused too.
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, StoreFile+"-wal"), []byte("x"), 0o600))
	_, err = OpenStore(ctx, dir, seed)
	require.ErrorIs(t, err, ErrStoreDamaged)
}

// The quick check runs at every open; Check(full) runs the full one.
func TestStore_CheckFindsCorruption(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, dir := openTiny(t)
	require.NoError(t, s.Check(ctx, false))
	require.NoError(t, s.Check(ctx, true))
	require.NoError(t, s.Close())

	// Overwrite the middle pages (table and index b-trees) with garbage,
	// keeping the header: the file still looks like a database.
	path := filepath.Join(dir, StoreFile)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	for i := 4096; i < len(b)-4096; i++ {
		b[i] = byte(i * 7)
	}
	require.NoError(t, os.WriteFile(path, b, 0o600))
	_, err = OpenStore(ctx, dir, StoreOptions{})
	require.ErrorIs(t, err, ErrStoreDamaged)
}

// Finding 12: the store directory is 0700 and its files 0600 whatever
// created the directory first (the audit log's path made it 0755), and
// backups are 0600.
func TestStore_FileModes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "store")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	s, err := OpenStore(ctx, dir, StoreOptions{Seed: func() (*geo.Dataset, error) { return tinyDataset(t), nil }})
	require.NoError(t, err)
	defer s.Close()
	mode := func(p string) os.FileMode {
		st, err := os.Stat(p)
		require.NoError(t, err)
		return st.Mode().Perm()
	}
	require.Equal(t, os.FileMode(0o700), mode(dir))
	for _, side := range []string{"", "-wal", "-shm"} {
		p := filepath.Join(dir, StoreFile) + side
		if _, err := os.Stat(p); err == nil {
			require.Equal(t, os.FileMode(0o600), mode(p), p)
		}
	}
	backup := filepath.Join(t.TempDir(), "copy.gpkg")
	require.NoError(t, s.Backup(ctx, backup))
	require.Equal(t, os.FileMode(0o600), mode(backup))

	// An existing store made with looser modes is tightened at open.
	require.NoError(t, s.Close())
	require.NoError(t, os.Chmod(dir, 0o755))
	require.NoError(t, os.Chmod(filepath.Join(dir, StoreFile), 0o644))
	s2, err := OpenStore(ctx, dir, StoreOptions{})
	require.NoError(t, err)
	defer s2.Close()
	require.Equal(t, os.FileMode(0o700), mode(dir))
	require.Equal(t, os.FileMode(0o600), mode(filepath.Join(dir, StoreFile)))
}
