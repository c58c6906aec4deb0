#include "cognitojs.h"

#include "sandbox.h"
#include "session/signinstate.h"
#include "testenvironment.h"

#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

namespace fedsync::test {

QJsonObject runCognitoJs(const Sandbox &sandbox, const CognitoJsIdentity &identity, QJsonObject request,
                         int timeoutMs)
{
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (node.isEmpty()) {
        qWarning() << "node is not installed";
        return {};
    }
    const QJsonObject ready = sandbox.ready();
    request.insert(QStringLiteral("sandboxDir"), QString(sourceDir() + QStringLiteral("/sandbox")));
    request.insert(QStringLiteral("caFile"), sandbox.caFile());
    request.insert(QStringLiteral("region"), ready.value(QStringLiteral("region")));
    request.insert(QStringLiteral("endpoint"),
                   ready.value(QStringLiteral("endpoints")).toObject().value(QStringLiteral("cognito_sync")));
    request.insert(QStringLiteral("adminUrl"), ready.value(QStringLiteral("admin_url")));
    request.insert(QStringLiteral("identityPoolId"), ready.value(QStringLiteral("identity_pool_id")));
    request.insert(QStringLiteral("identityId"), identity.identityId);
    request.insert(QStringLiteral("accessKeyId"), identity.accessKeyId);
    request.insert(QStringLiteral("secretAccessKey"), identity.secretAccessKey);
    request.insert(QStringLiteral("sessionToken"), identity.sessionToken);

    QProcess process;
    process.start(node, {sourceDir() + QStringLiteral("/tests/interop/cognitojs.mjs")});
    process.write(QJsonDocument(request).toJson(QJsonDocument::Compact));
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs) || process.exitCode() != 0) {
        qWarning().noquote() << "cognitojs.mjs failed:" << process.readAllStandardError();
        return {};
    }
    return QJsonDocument::fromJson(process.readAllStandardOutput()).object();
}

UserError restoreSignIn(SignInState &session, int timeoutMs, bool useCachedIdToken)
{
    QSignalSpy signedIn(&session, &SignInState::signedIn);
    QSignalSpy failed(&session, &SignInState::restoreFailed);
    session.restore(useCachedIdToken);
    if (!QTest::qWaitFor([&] { return !signedIn.isEmpty() || !failed.isEmpty(); }, timeoutMs))
        return UserError::make(QStringLiteral("test.timeout"),
                               QStringLiteral("the silent sign-in did not finish"));
    return failed.isEmpty() ? UserError{} : failed.first().first().value<UserError>();
}

} // namespace fedsync::test
