// Starts the real local federation stack (sandbox/start) for one test program: its own temporary data
// dir, free ports, TLS with its own CA. Waits for ready.json, exposes its facts, drives its admin API,
// and stops it (SIGTERM) on destruction. Tests QSKIP only when node is missing on a developer machine;
// scripts/test always has it.
#pragma once

#include "config/profile.h"

#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace fedsync::test {

class Sandbox
{
public:
    Sandbox();
    ~Sandbox();

    // Starts and waits up to `timeoutMs` for ready.json. False (with errorString()) when it fails.
    bool start(int timeoutMs = 30000);
    // Fixed ports (base .. base+4) instead of free ones, so that a restart keeps the issuer and the
    // endpoints: call before start(). freePortBase() finds five free consecutive ports.
    void setPortBase(int base) { m_portBase = base; }
    static int freePortBase();
    // Stops it (SIGTERM; the state is saved): the services become unreachable until start() again.
    void stop();
    QString errorString() const { return m_error; }

    const QJsonObject &ready() const { return m_ready; }
    QString profileFile() const;
    Profile profile() const; // the profile file, loaded
    // A profile file loaded as --profile-file loads it (its path is its keychain namespace).
    static Profile loadProfile(const QString &file);
    // The same sign-in with datasets in the sandbox's DynamoDB table (ready.dynamodb_profile_file).
    QString dynamoDbProfileFile() const;
    Profile dynamoDbProfile() const;
    QString caFile() const;
    QString user(int index, const char *field) const; // ready.users[index][field]
    QString dataDir() const { return m_dir.path(); }

    // POST to the admin API; true on a 2xx answer.
    bool admin(const QString &path, const QJsonObject &body = {}) const;
    bool adminDelete(const QString &path) const;
    // POST to the admin API and its JSON answer (empty on failure, or after `timeoutMs`: a big seed
    // saves a big state before it answers).
    QJsonObject adminPost(const QString &path, const QJsonObject &body, int timeoutMs = 10000) const;
    QJsonObject adminGet(const QString &path) const; // empty on failure
    // Operations the sandbox answered since request-log sequence `since` (GET admin/requests).
    QStringList operationsSince(qint64 since, qint64 *next = nullptr) const;
    // The request-log sequence now: what operationsSince / requestsSince start from.
    qint64 requestLogEnd() const;
    // The requests (operation, status, error...) of `services` ("cognito-sync", "dynamodb"...) the
    // sandbox answered since `since`.
    QList<QJsonObject> requestsSince(qint64 since, const QStringList &services) const;
    // Makes the next `count` calls of `operation` ("*": any) to `service` fail as `kind` ("throttle",
    // "http500", "reset", "delay"...; `delayMs` for a delay) (POST admin/faults).
    bool addFault(const QString &service, const QString &operation, const QString &kind, int count,
                  int delayMs = 0) const;

private:
    bool giveProfileOwnId();
    std::optional<QByteArray> adminRequest(const QByteArray &method, const QString &path,
                                           const QByteArray &body, int timeoutMs = 10000) const;

    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    QJsonObject m_ready;
    QString m_error;
    int m_portBase = 0;
};

} // namespace fedsync::test
