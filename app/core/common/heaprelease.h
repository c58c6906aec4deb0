// Gives the memory a burst of work freed back to the system. glibc's allocator returns free memory at
// the top of the heap by itself, but keeps the free pages between live blocks mapped: after a sign-in
// (the TLS handshake, the JWKS and tokens parsed) or a sync (request and reply bodies), a long-lived
// window would keep those pages resident for its whole life. releaseFreedHeap() asks glibc to give them
// back (malloc_trim: the pages are dropped, the address space stays, so the next allocation there costs
// a page fault and nothing else). Elsewhere it does nothing. It takes 0.3-0.8 ms on the desktop app's
// heap (docs/PERFORMANCE.md, session 16), so the app calls it on the UI thread when a burst ends.
#pragma once

namespace fedsync {

void releaseFreedHeap();

// The process's resident memory in kB (0 where unknown): for logging what releaseFreedHeap() gave back.
long residentKb();

} // namespace fedsync
