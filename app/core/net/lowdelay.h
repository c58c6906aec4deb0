// Nagle's algorithm off for this process's TCP connections.
//
// Qt's HTTP client leaves Nagle's algorithm on (QHttpNetworkConnectionChannel does not set
// QAbstractSocket::LowDelayOption, and QNetworkAccessManager gives no way to reach its sockets) and writes
// a request body 16 KB at a time, one TLS record per write. After the first write, Nagle holds each
// following one until the server acknowledges the data before it, and a server that delays its
// acknowledgements (Linux: up to 40 ms) stalls the upload that long: measured on a 1,024-record
// UpdateRecords, 43 ms of waiting for a body written in 5. HttpJob calls this when a connection starts and
// when its TLS session is up; browsers and curl set TCP_NODELAY on every connection the same way.
#pragma once

namespace fedsync::lowdelay {

// Sets TCP_NODELAY on every TCP socket this process has open (its file descriptors; other kinds are left
// alone). Returns how many it set; 0 where the platform offers no way to list them.
int applyToOpenConnections();

} // namespace fedsync::lowdelay
