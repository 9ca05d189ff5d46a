package data

import "os"

func writeFile(path, text string) error { return os.WriteFile(path, []byte(text), 0o644) }

func removeFile(path string) error { return os.Remove(path) }
