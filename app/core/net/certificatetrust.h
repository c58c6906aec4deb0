// Verifies a server's certificate chain against a profile's own CA file (the sandbox's, or a company's
// private CA), for components that do not use Qt's TLS stack: the embedded browser (Chromium) does not
// read Fedsync's CA setting, so its certificate errors are decided here. Accepts only a chain that
// verifies to one of those CAs for TLS server use, names the host, and whose host is one the profile
// names; everything else stays refused.
#pragma once

#include <QByteArray>
#include <QList>
#include <QSslCertificate>
#include <QString>
#include <QStringList>

namespace fedsync {

class CertificateTrust final
{
public:
    // Empty on success, else why the chain is not trusted. `trustedHosts`: the hosts the profile names
    // (the CA vouches for no other).
    static QString verifyAgainstCaFile(const QList<QSslCertificate> &chain, const QString &host,
                                       const QString &caFile, const QStringList &trustedHosts);

    // Empty when `ca` may vouch for TLS servers: where it says what it is for (extended key usage, key
    // usage), that includes server authentication and signing certificates. Else why not.
    static QString checkServerAuthCa(const QSslCertificate &ca);
    // The same for a DER certificate (no Qt TLS backend needed).
    static QString checkServerAuthCaDer(const QByteArray &der);
    // The certificates of a PEM text (each "-----BEGIN CERTIFICATE-----" block that OpenSSL can read), as
    // DER, in order: what QSslCertificate::fromData(pem, QSsl::Pem) finds, without loading Qt's TLS
    // backend (a plugin, and OpenSSL's initialization) before the first connection needs it.
    static QList<QByteArray> pemCertificates(const QByteArray &pem);
    // Every "-----BEGIN CERTIFICATE-----" block's bytes, base64-decoded, read or not (no OpenSSL at all).
    static QList<QByteArray> pemBlocks(const QByteArray &pem);
    // "CN=Fedsync Sandbox CA, O=…; SHA-256 AB:CD:…": what a person compares before trusting a CA.
    static QString describe(const QSslCertificate &certificate);
    // The certificates in a PEM file, described one per line (empty when unreadable).
    static QStringList describeFile(const QString &caFile);
    // Case-insensitive host match; IPv6 brackets ignored.
    static bool isHostListed(const QString &host, const QStringList &hosts);
};

} // namespace fedsync
