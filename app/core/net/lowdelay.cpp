#include "net/lowdelay.h"

#include <QtGlobal>

#ifdef Q_OS_LINUX
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cstdlib>
#endif

namespace fedsync::lowdelay {

int applyToOpenConnections()
{
#ifdef Q_OS_LINUX
    DIR *fds = ::opendir("/proc/self/fd");
    if (!fds)
        return 0;
    int set = 0;
    const int listing = ::dirfd(fds);
    while (const dirent *entry = ::readdir(fds)) {
        char *end = nullptr;
        const long fd = std::strtol(entry->d_name, &end, 10);
        if (end == entry->d_name || *end != '\0' || fd == listing)
            continue;
        int type = 0;
        socklen_t length = sizeof(type);
        if (::getsockopt(int(fd), SOL_SOCKET, SO_TYPE, &type, &length) != 0 || type != SOCK_STREAM)
            continue; // not a socket, or not a stream
        sockaddr_storage address{};
        length = sizeof(address);
        if (::getsockname(int(fd), reinterpret_cast<sockaddr *>(&address), &length) != 0 ||
            (address.ss_family != AF_INET && address.ss_family != AF_INET6))
            continue; // a local (Unix) socket: D-Bus, the X server
        const int on = 1;
        if (::setsockopt(int(fd), IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) == 0)
            ++set;
    }
    ::closedir(fds);
    return set;
#else
    return 0;
#endif
}

} // namespace fedsync::lowdelay
