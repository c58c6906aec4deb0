// Verifies a server's certificate chain against a profile's own CA file (the sandbox's, or a company's
// private CA), for components that do not use Qt's TLS stack: the embedded browser (Chromium) does not
// read Fedsync's CA setting, so its certificate errors are decided here. Accepts only a chain that
// verifies to one of those CAs and names the host; everything else stays refused.
#pragma once

#include <QList>
#include <QSslCertificate>
#include <QString>

namespace fedsync {

class CertificateTrust final
{
public:
    // Empty on success, else why the chain is not trusted.
    static QString verifyAgainstCaFile(const QList<QSslCertificate> &chain, const QString &host,
                                       const QString &caFile);
};

} // namespace fedsync
