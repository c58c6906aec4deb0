#include "session/signinpageflow.h"

#include "net/networkcontext.h"

namespace fedsync {

bool SignInPageFlow::isRedirect(const QUrl &url) const
{
    if (!m_redirectUri.isValid() || url.scheme() != m_redirectUri.scheme() || url.host() != m_redirectUri.host() ||
        url.path() != m_redirectUri.path())
        return false;
    return url.port() == m_redirectUri.port() || NetworkContext::isLoopbackHost(url.host());
}

} // namespace fedsync
