// Gives the memory a burst of work freed back to the system. glibc's allocator returns free memory at
// the top of the heap by itself, but keeps the free pages between live blocks mapped: after a sign-in
// (the TLS handshake, the JWKS and tokens parsed) or a sync (request and reply bodies), a long-lived
// window would keep those pages resident for its whole life. releaseFreedHeap() asks glibc to give them
// back (malloc_trim: the pages are dropped, the address space stays, so the next allocation there costs
// a page fault and nothing else). Elsewhere it does nothing. It takes about a millisecond on a heap of a
// few MB (docs/PERFORMANCE.md), so the desktop app calls it on the UI thread when a burst ends.
#pragma once

namespace fedsync {

// Returns how many kB of the process's resident memory it gave back (0 where not supported).
long releaseFreedHeap();

} // namespace fedsync
