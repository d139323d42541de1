"""Finding talks: a field-aware, typo-tolerant BM25F index, saved beside the store and opened as memory maps.

How the index is kept, and why (issue 16). Measured on the shared 2-core machine, synthetic stores of the shared
catalogs imported many times, main's in-memory build beside it in the same run (fresh process per answer,
`SearchService(store).engine().search(...)`, medians of 3 queries x 3 runs):

  sessions  start-up to first answer   peak RSS          p50 / p99 per query (500 generated queries)
  10k       0.24 s  (main 2.4 s)       103 MB (516 MB)   0.81 / 3.4 ms  (main 0.62 / 2.4 ms)
  100k      0.34 s  (main 17.2 s)      127 MB (3.3 GB)   1.61 / 7.4 ms  (main 2.03 / 11.5 ms)
  100k, one conference in scope: 0.27 s, 123 MB. Re-importing one changed conference of the 100k store:
  1.2-1.5 s, of which 3 ms under the write lock; re-saving an unchanged one 0.06 s.

- Each conference is tokenised once, at import or sync, into a *part* (`parts.py`): raw counts per
  (term, session, field), field lengths, times, hashed look-up keys. Its folder is named by a hash of the
  conference's content, so an unchanged conference is never tokenised again and re-saving an unchanged
  catalog rebuilds nothing.
- The store-wide index (`merge.py`) is merged from the parts with numpy alone and saved as plain arrays:
  vocabulary as sorted 64-bit term hashes, CSR postings (session numbers, scores, field bits), per-session
  arrays (conference, track, room, start, end). A process opens it with `np.load(mmap_mode="r")`: a few file
  headers, whatever the size, and only the pages holding a question's words are ever read. Sessions stay in
  SQLite and are read by id for the hits shown (`persist.StoreSessions`).
- The store records which folders are current (`search_index`, stamped with the store's fingerprint) in the
  same transaction as the import, and folders are written under a temporary name and renamed: a reader never
  opens an index that disagrees with the store it sees, and a process killed mid-build leaves the old one.
- A question is scored over the sessions it can reach (`candidates.py`), not over every session; and the rest
  of its work follows what it touches, not the store (issue 16, p50 / p99 at 100k 1.55 / 12.3 -> 1.18 / 5.9 ms,
  at 10k 0.85 / 3.6 -> 0.72 / 2.9 ms, `benchmarks.scaling`, same run): only the head of the scored sessions is
  sorted (`engine._rank`), a phrase alternative is scored over the sessions holding its words, a page of hits is
  read in one query, rooms and tracks named are found in tables built once per index (`rooms.py`, `tracks.py`),
  and tables read on first need are kept out of Python's full collections (`memory.settle`).
- Statistics stay store-wide: IDF and average field lengths are recomputed over every part at merge time, so
  every score is the float a single build over all sessions gave before (the dev queries' answers, scores and
  reasons are byte-identical to the former in-memory build). Chats scoped to one conference keep their own
  statistics as before: each conference's own index is saved beside its part, and bot/scope.py opens it.

Why our own arrays rather than SQLite FTS5 or tantivy (their numbers from the issue's study; not re-measured
here): both open in under a millisecond too, but neither
gives our ranking (field weights with per-field bits for reasons and field-bound alternatives, typo, word-form,
compound and synonym alternatives merged per clause, track topics, speaker bonus) without re-implementing it on
their candidates, and FTS5's own p99 is worse than ours at every size measured in the issue. Our arrays keep
relevance exactly, open as fast, and add no dependency.

Language data (py3langid's model, wordfreq's tables, the synonym table by stems) is unpacked once into a
cache (`langcache.py`) and opened as memory maps, so a one-shot question does not pay 2 s to unpack it.
"""
