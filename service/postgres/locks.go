package postgres

import "hash/fnv"

// Advisory lock keys. PostgreSQL's advisory locks share one 64-bit space per
// database; ours are fixed values for whole-database jobs and hashes for
// rate-limit counters. Two counters whose hashes collide merely take turns.
const (
	lockMigrations int64 = 0x7265736574640001 // "resetd" 0001: schema migrations
	lockPurge      int64 = 0x7265736574640002 // "resetd" 0002: the purge job
)

// hitsLock is the advisory lock that serialises counting and adding the
// rate-limit hits of key.
func hitsLock(key string) int64 {
	h := fnv.New64a()
	h.Write([]byte("resetd hits\x00"))
	h.Write([]byte(key))
	return int64(h.Sum64())
}
