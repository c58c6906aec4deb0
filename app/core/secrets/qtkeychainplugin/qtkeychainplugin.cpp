// fedsync_qtkeychain: QtKeychain's jobs behind QtKeychainBridge (secrets/qtkeychainbridge.h).
#include "secrets/qtkeychainbridge.h"

#include <QObject>

#include <qt6keychain/keychain.h>

namespace fedsync {

class QtKeychainPlugin final : public QObject, public QtKeychainBridge
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID FedsyncQtKeychainBridge_iid)
    Q_INTERFACES(fedsync::QtKeychainBridge)

public:
    void start(SecretResult::Operation operation, const QString &service, const QString &key,
               const QByteArray &value, std::function<void(Answer)> done) override
    {
        QKeychain::Job *job = nullptr;
        switch (operation) {
        case SecretResult::Operation::Read:
            job = new QKeychain::ReadPasswordJob(service);
            break;
        case SecretResult::Operation::Write: {
            auto *write = new QKeychain::WritePasswordJob(service);
            write->setBinaryData(value);
            job = write;
            break;
        }
        case SecretResult::Operation::Remove:
            job = new QKeychain::DeletePasswordJob(service);
            break;
        }
        job->setKey(key);
        // QtKeychain's backends call back into a running job: it lives until it finishes, even when
        // nobody waits for the answer any more (the caller's timeout).
        job->setAutoDelete(true);
        job->setInsecureFallback(false); // never a plaintext file
        connect(job, &QKeychain::Job::finished, job, [done = std::move(done)](QKeychain::Job *finished) {
            Answer answer{int(finished->error()), finished->errorString(), {}};
            if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(finished))
                answer.data = read->binaryData();
            done(std::move(answer));
        });
        job->start();
    }
};

} // namespace fedsync

#include "qtkeychainplugin.moc"
