// fedsync-cli support ...: the support console for scripts, on the same core as the window
// (app/core/support). Staff credentials from the AWS chain only, never the signed-in user's session.
//   identities [--json] [--limit N]            find (--sub S | --email E | --identity ID) [--json]
//   datasets IDENTITY [--json]                 records IDENTITY DATASET [--json | --csv] [--reveal]
//   put IDENTITY DATASET KEY VALUE --confirm   audit [--json]            crawl [--full]
// One object per process: it is the registered command and also holds the state of the sub-command it
// runs (CliApp builds it with itself, before the command line is parsed).
#pragma once

#include "command.h"
#include "support/supportsession.h"

#include <QObject>

#include <memory>

namespace fedsync::support {
class IdentityIndex;
}

namespace fedsync::cli {

class CliApp;

class SupportCommand final : public QObject, public Command
{
    Q_OBJECT
public:
    explicit SupportCommand(CliApp &app);
    ~SupportCommand() override;

    void run(CliApp &app) override;

private:
    void start();
    bool openSession();
    support::IdentityIndex *openIndex();
    void identities();
    void find();
    void datasets();
    void records();
    void put();
    void audit();
    void crawl();
    void usage(const QString &what);
    void printJson(const QJsonObject &json);

    CliApp &m_app;
    QStringList m_args;
    bool m_json = false;
    std::unique_ptr<support::SupportSession> m_session;
    std::unique_ptr<support::IdentityIndex> m_index;
    std::unique_ptr<QObject> m_job;
};

} // namespace fedsync::cli
