package data

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// sqliteHeader starts every SQLite database file (and so every GeoPackage).
const sqliteHeader = "SQLite format 3\x00"

// ErrStoreDamaged is the error of a store file that is empty, truncated,
// not a database or fails SQLite's integrity check; OpenStore refuses it
// rather than seed over it.
var ErrStoreDamaged = errors.New("data: damaged store")

// prepareStoreFile checks the store file of dir before it is opened. A
// directory without one is new (seeded): the file is created empty with
// mode 0600, so that SQLite's WAL and shared-memory files, which take the
// database's mode, are 0600 too. An existing file must be readable and
// start with the SQLite header: an empty, truncated or foreign file is
// refused, never replaced. The modes of the directory (0700) and of the
// store's files (0600) are set whatever created them.
func prepareStoreFile(dir string) (created bool, err error) {
	if err := os.Chmod(dir, 0o700); err != nil {
		return false, fmt.Errorf("data: store directory: %w", err)
	}
	path := filepath.Join(dir, StoreFile)
	f, err := os.Open(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		for _, side := range []string{"-wal", "-journal"} {
			if _, err := os.Stat(path + side); err == nil {
				return false, fmt.Errorf("%w: %s has no database file but its %s file exists: restore the store from a backup (gridwatch backup) instead of starting a new one",
					ErrStoreDamaged, path, strings.TrimPrefix(side, "-"))
			}
		}
		nf, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return false, fmt.Errorf("data: create %s: %w", path, err)
		}
		return true, nf.Close()
	case err != nil:
		return false, fmt.Errorf("%w: %s cannot be read: %v", ErrStoreDamaged, path, err)
	}
	head := make([]byte, len(sqliteHeader))
	n, _ := f.Read(head)
	_ = f.Close()
	switch {
	case n == 0:
		return false, fmt.Errorf("%w: %s is empty (0 bytes), not a store; it is not replaced: restore it from a backup, or remove it to seed a new store", ErrStoreDamaged, path)
	case n < len(head) || string(head) != sqliteHeader:
		return false, fmt.Errorf("%w: %s is not a GeoPackage (no SQLite header in its first %d bytes); restore it from a backup", ErrStoreDamaged, path, n)
	}
	for _, side := range []string{"", "-wal", "-shm"} {
		if err := os.Chmod(path+side, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return false, fmt.Errorf("data: %s: %w", path+side, err)
		}
	}
	return false, nil
}

// Check runs SQLite's integrity check over the store: the quick one
// (PRAGMA quick_check: structure, no index contents) or, with full, the
// complete one (PRAGMA integrity_check). A problem is ErrStoreDamaged,
// with SQLite's first messages.
func (s *Store) Check(ctx context.Context, full bool) error {
	pragma := "PRAGMA quick_check"
	if full {
		pragma = "PRAGMA integrity_check"
	}
	rows, err := s.db.QueryContext(ctx, pragma)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrStoreDamaged, s.path, err)
	}
	defer rows.Close()
	var msgs []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return fmt.Errorf("%w: %s: %v", ErrStoreDamaged, s.path, err)
		}
		if m != "ok" && len(msgs) < 10 {
			msgs = append(msgs, m)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrStoreDamaged, s.path, err)
	}
	if len(msgs) > 0 {
		return fmt.Errorf("%w: %s fails %s: %s", ErrStoreDamaged, s.path, strings.TrimPrefix(pragma, "PRAGMA "), strings.Join(msgs, "; "))
	}
	return nil
}
