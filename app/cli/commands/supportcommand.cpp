#include "supportcommand.h"

#include "cliapp.h"
#include "common/errorcodes.h"
#include "session/profilecontext.h"
#include "support/auditlog.h"
#include "support/identitycrawler.h"
#include "support/identityindex.h"
#include "support/supportdirectory.h"
#include "support/supportexport.h"
#include "support/supportworkspace.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

namespace fedsync::cli {
namespace {
using namespace fedsync::support;

QString shortTime(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss'Z'"))
                          : QStringLiteral("-");
}

QString pad(const QString &text, int width)
{
    return text.leftJustified(width);
}
} // namespace

SupportCommand::SupportCommand(CliApp &app)
    : Command(QStringLiteral("support"),
              tr("Support console with your own AWS credentials (see README \"For support staff\")"))
    , m_app(app)
{
    setDescription(
        tr("The support console for scripts, with your own AWS credentials (the AWS chain: "
           "AWS_ACCESS_KEY_ID..., "
           "~/.aws/credentials, AWS_PROFILE), never the signed-in user's session. Sub-commands:\n"
           "  identities [--limit N]                            the identity pool's identities\n"
           "  find (--sub SUB | --email EMAIL | --identity ID)  a user's identity\n"
           "  datasets IDENTITY                                 an identity's datasets\n"
           "  records IDENTITY DATASET [--csv] [--reveal]       a dataset's records (values masked)\n"
           "  put IDENTITY DATASET KEY VALUE --confirm          change a user's record (audited)\n"
           "  audit                                             the audit log of support writes\n"
           "  crawl [--full] [--limit N]                        build or refresh the local identity index"));
    setUsage(tr("SUB-COMMAND [options] [arguments]"));
    addArgument(QStringLiteral("SUB-COMMAND"),
                tr("identities, find, datasets, records, put, audit or crawl (see above)."));
    addOption(
        {QStringLiteral("limit"), tr("identities: at most N identities (0: all); crawl: N pages."), tr("N")});
    addOption({QStringLiteral("sub"), tr("find: the user's Auth0 user id (sub)."), tr("sub")});
    addOption({QStringLiteral("email"), tr("find: the user's email."), tr("email")});
    addOption({QStringLiteral("identity"), tr("find: the Cognito identity id."), tr("id")});
    addOption({QStringLiteral("csv"), tr("records: print CSV.")});
    addOption({QStringLiteral("reveal"), tr("records: show values (masked by default).")});
    addOption({QStringLiteral("confirm"), tr("put: really change the user's data (audited).")});
    addOption({QStringLiteral("full"), tr("crawl: read every identity card again.")});
    setJsonHelp(tr("identities, find, datasets, records, audit, crawl: print JSON."));
}

SupportCommand::~SupportCommand() = default;

void SupportCommand::run(CliApp &)
{
    m_args = m_app.commandArguments();
    m_json = m_app.parser().isSet(QStringLiteral("json"));
    start();
}

void SupportCommand::usage(const QString &what)
{
    m_app.fail(
        UserError::make(errorcode::Usage, what, {},
                        tr("Usage: fedsync-cli support identities [--json] [--limit N] | find (--sub SUB | "
                           "--email EMAIL | --identity ID) [--json] | datasets IDENTITY [--json] | records "
                           "IDENTITY DATASET [--json | --csv] [--reveal] | put IDENTITY DATASET KEY VALUE "
                           "--confirm | audit [--json] | crawl [--full]")),
        Usage);
}

void SupportCommand::printJson(const QJsonObject &json)
{
    m_app.out() << QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Indented));
}

void SupportCommand::start()
{
    if (m_args.isEmpty())
        return usage(tr("Which support command?"));
    const QString sub = m_args.takeFirst();
    if (sub == QLatin1String("audit"))
        return audit(); // local: needs no AWS credentials
    static const QStringList known{QStringLiteral("identities"), QStringLiteral("find"),
                                   QStringLiteral("datasets"),   QStringLiteral("records"),
                                   QStringLiteral("put"),        QStringLiteral("crawl")};
    if (!known.contains(sub))
        return usage(tr("Unknown support command \"%1\"").arg(sub));
    if (sub == QLatin1String("put") && !m_app.parser().isSet(QStringLiteral("confirm")))
        return m_app.fail(UserError::make(QStringLiteral("support.confirm"),
                                          tr("support put changes a user's data and needs --confirm"),
                                          tr("Support writes go to the user's own store and are audited"),
                                          tr("Check the identity, dataset and key, then add --confirm")),
                          Usage);
    if (!openSession())
        return;
    if (sub == QLatin1String("identities"))
        identities();
    else if (sub == QLatin1String("find"))
        find();
    else if (sub == QLatin1String("datasets"))
        datasets();
    else if (sub == QLatin1String("records"))
        records();
    else if (sub == QLatin1String("put"))
        put();
    else
        crawl();
}

bool SupportCommand::openSession()
{
    UserError error;
    ProfileContext *context = m_app.context(&error);
    if (!context) {
        m_app.fail(error);
        return false;
    }
    m_session =
        SupportSession::create(*context, QProcessEnvironment::systemEnvironment(), QDir::homePath(), &error);
    if (!m_session) {
        m_app.fail(error);
        return false;
    }
    return true;
}

IdentityIndex *SupportCommand::openIndex()
{
    QString path = qEnvironmentVariable("FEDSYNC_SUPPORT_INDEX");
    if (path.isEmpty())
        path = IdentityIndex::defaultPath(m_session->identityPoolId());
    m_index = std::make_unique<IdentityIndex>(path);
    if (const UserError error = m_index->open(); error.isError()) {
        m_app.fail(error);
        return nullptr;
    }
    return m_index.get();
}

void SupportCommand::identities()
{
    bool ok = true;
    const QString limitText = m_app.parser().value(QStringLiteral("limit"));
    const int limit = limitText.isEmpty() ? 60 : limitText.toInt(&ok);
    if (!ok || limit < 0)
        return usage(tr("--limit takes a number (0: the whole pool)"));
    auto all = std::make_shared<QList<IdentityInfo>>();
    auto step = std::make_shared<std::function<void(const QString &)>>();
    *step = [this, all, limit, step](const QString &token) {
        const int want = limit == 0 ? 60 : qMin(60, int(limit - all->size()));
        m_session->listIdentities(
            want, token, [this, all, limit, step](const IdentityPage &page, const UserError &error) {
                if (error.isError()) {
                    *step = nullptr;
                    return m_app.fail(error);
                }
                *all << page.identities;
                if (!page.nextToken.isEmpty() && (limit == 0 || all->size() < limit))
                    return (*step)(page.nextToken);
                if (m_json) {
                    QJsonArray list;
                    for (const IdentityInfo &info : *all)
                        list << info.toJson();
                    QJsonObject root{{QStringLiteral("identity_pool_id"), m_session->identityPoolId()},
                                     {QStringLiteral("identities"), list}};
                    if (!page.nextToken.isEmpty())
                        root.insert(QStringLiteral("next_token"), page.nextToken);
                    printJson(root);
                } else {
                    m_app.out() << pad(tr("IDENTITY ID"), 48) << pad(tr("CREATED"), 22)
                                << pad(tr("LAST MODIFIED"), 22) << tr("LOGINS") << Qt::endl;
                    for (const IdentityInfo &info : *all)
                        m_app.out() << pad(info.identityId, 48) << pad(shortTime(info.created), 22)
                                    << pad(shortTime(info.lastModified), 22)
                                    << info.logins.join(QStringLiteral(", ")) << Qt::endl;
                    if (!page.nextToken.isEmpty())
                        m_app.err() << tr("(more identities: raise --limit, or --limit 0 for all)")
                                    << Qt::endl;
                }
                *step = nullptr;
                m_app.finish(Ok);
            });
    };
    (*step)(QString());
}

void SupportCommand::find()
{
    const QString sub = m_app.parser().value(QStringLiteral("sub"));
    const QString email = m_app.parser().value(QStringLiteral("email"));
    const QString identity = m_app.parser().value(QStringLiteral("identity"));
    if (int(!sub.isEmpty()) + int(!email.isEmpty()) + int(!identity.isEmpty()) != 1)
        return usage(tr("find takes exactly one of --sub, --email or --identity"));
    auto print = [this](const QList<FoundIdentity> &found, const QString &what,
                        const QString &searched = {}) {
        if (found.isEmpty()) {
            return m_app.fail(
                UserError::make(QStringLiteral("support.not_found"), tr("No identity found for %1").arg(what),
                                searched.isEmpty() ? QString() : tr("Searched the %1").arg(searched),
                                tr("The user may never have signed in with a Fedsync version that "
                                   "records an identity card, or turned it off; ask for the "
                                   "identity id (Help > About in the app)")));
        }
        if (m_json) {
            QJsonArray list;
            for (const FoundIdentity &item : found)
                list << item.toJson();
            printJson({{QStringLiteral("identities"), list}});
        } else {
            for (const FoundIdentity &item : found) {
                m_app.out() << item.identity.identityId << Qt::endl;
                m_app.out() << tr("  logins:        %1").arg(item.identity.logins.join(QStringLiteral(", ")))
                            << Qt::endl;
                m_app.out() << tr("  created:       %1").arg(shortTime(item.identity.created)) << Qt::endl;
                m_app.out() << tr("  last modified: %1").arg(shortTime(item.identity.lastModified))
                            << Qt::endl;
                if (item.card.isValid()) {
                    m_app.out() << tr("  user:          %1 <%2> (%3)")
                                       .arg(item.card.name, item.card.email, item.card.sub)
                                << Qt::endl;
                    m_app.out() << tr("  last sign-in:  %1 (Fedsync %2)")
                                       .arg(shortTime(item.card.lastSignIn), item.card.appVersion)
                                << Qt::endl;
                } else {
                    m_app.out() << tr("  user:          (no identity card)") << Qt::endl;
                }
            }
        }
        m_app.finish(Ok);
    };
    if (!identity.isEmpty()) {
        describeWithCard(*m_session, identity,
                         [this, print, identity](const FoundIdentity &found, const UserError &error) {
                             if (error.isError())
                                 return m_app.fail(error);
                             print({found}, identity);
                         });
        return;
    }
    // DynamoDB: the table's card index; Cognito Sync: the local index, crawled on demand.
    if (!m_session->dynamoDbStore() && !openIndex())
        return;
    SupportDirectory *directory = createDirectory(*m_session, m_index.get(), this);
    if (auto *crawl = dynamic_cast<CrawlIndexDirectory *>(directory))
        connect(
            crawl, &CrawlIndexDirectory::crawlProgress, this,
            [this](qint64 indexed, qint64 cards, const IdentityCrawler::Stats &stats) {
                m_app.err() << tr("\rsearching: %1 identities indexed, %2 with a card (%3 requests)")
                                   .arg(indexed)
                                   .arg(cards)
                                   .arg(stats.requests);
                m_app.err().flush();
            });
    DirectoryQuery query;
    query.kind = sub.isEmpty() ? DirectoryQuery::Kind::Email : DirectoryQuery::Kind::Sub;
    query.value = sub.isEmpty() ? email : sub;
    directory->find(
        query, [this, print, query, directory](const QList<FoundIdentity> &found, const UserError &error) {
            if (error.isError())
                return m_app.fail(error);
            print(found, query.value, directory->description());
        });
}

void SupportCommand::datasets()
{
    if (m_args.size() != 1)
        return usage(tr("datasets takes one identity id"));
    const QString id = m_args.first();
    m_session->describeIdentity(id, [this, id](const IdentityInfo &info, const UserError &error) {
        if (error.isError())
            return m_app.fail(error);
        m_session->describeIdentityUsage(id, [this, id, info](const IdentityUsage &usage,
                                                              const UserError &usageError) {
            if (usageError.isError())
                return m_app.fail(usageError);
            m_session->listDatasets(id, [this, info, usage](const QList<RemoteDataset> &sets,
                                                            const UserError &listError) {
                if (listError.isError())
                    return m_app.fail(listError);
                if (m_json) {
                    QJsonArray list;
                    for (const RemoteDataset &dataset : sets)
                        list << datasetToJson(dataset);
                    printJson({{QStringLiteral("identity"), info.toJson()},
                               {QStringLiteral("identity_usage"), usage.toJson()},
                               {QStringLiteral("datasets"), list}});
                } else {
                    m_app.out() << tr("%1: %2 datasets, %3 bytes, last change %4")
                                       .arg(info.identityId)
                                       .arg(usage.datasetCount)
                                       .arg(usage.dataStorage)
                                       .arg(shortTime(usage.lastModified));
                    if (usage.recordCount >= 0) // computed from the store (DynamoDB)
                        m_app.out() << tr(", %1 records (in %2)")
                                           .arg(usage.recordCount)
                                           .arg(m_session->storeDescription());
                    m_app.out() << Qt::endl;
                    m_app.out() << pad(tr("DATASET"), 28) << pad(tr("RECORDS"), 9) << pad(tr("BYTES"), 10)
                                << pad(tr("LAST CHANGE"), 22) << tr("LAST MODIFIED BY") << Qt::endl;
                    for (const RemoteDataset &dataset : sets)
                        m_app.out() << pad(dataset.name, 28) << pad(QString::number(dataset.recordCount), 9)
                                    << pad(QString::number(dataset.storageSizeBytes), 10)
                                    << pad(shortTime(dataset.lastModified), 22) << dataset.lastModifiedBy
                                    << Qt::endl;
                }
                m_app.finish(Ok);
            });
        });
    });
}

void SupportCommand::records()
{
    if (m_args.size() != 2)
        return usage(tr("records takes an identity id and a dataset name"));
    const bool csv = m_app.parser().isSet(QStringLiteral("csv"));
    if (csv && m_json)
        return usage(tr("Choose --json or --csv, not both"));
    const bool reveal = m_app.parser().isSet(QStringLiteral("reveal"));
    const QString id = m_args.at(0);
    const QString dataset = m_args.at(1);
    m_session->listRecords(
        id, dataset, [this, id, dataset, csv, reveal](const QList<SyncRecord> &list, const UserError &error) {
            if (error.isError())
                return m_app.fail(error);
            const QList<DatasetRecords> sets{{dataset, list}};
            if (m_json)
                m_app.out() << QString::fromUtf8(SupportExport::toJson(id, sets, reveal));
            else if (csv)
                m_app.out() << QString::fromUtf8(SupportExport::toCsv(id, sets, reveal));
            else {
                for (const SyncRecord &record : list)
                    m_app.out() << pad(record.key, 24) << " "
                                << (reveal ? *record.value : SupportExport::mask(*record.value)) << "  "
                                << tr("(sync count %1, %2 by %3)")
                                       .arg(record.syncCount)
                                       .arg(shortTime(record.lastModified), record.lastModifiedBy)
                                << Qt::endl;
                if (!reveal && !list.isEmpty())
                    m_app.err() << tr("(values masked: add --reveal to show them)") << Qt::endl;
            }
            m_app.finish(Ok);
        });
}

void SupportCommand::put()
{
    if (m_args.size() != 4)
        return usage(tr("put takes an identity id, a dataset, a key and a value"));
    auto *workspace = new SupportWorkspace(*m_session, m_args.at(0), AuditLog(AuditLog::defaultPath()), this);
    if (const UserError error = workspace->open(); error.isError())
        return m_app.fail(error);
    connect(workspace, &SupportWorkspace::written, this,
            [this](const QString &dataset, const QStringList &keys) {
                m_app.out() << tr("Written to %1 of %2: %3 (audited)")
                                   .arg(dataset, m_args.at(0), keys.join(QStringLiteral(", ")))
                            << Qt::endl;
                m_app.finish(Ok);
            });
    connect(workspace, &SupportWorkspace::writeFailed, this,
            [this](const QString &, const UserError &error) { m_app.fail(error); });
    workspace->put(m_args.at(1), m_args.at(2), m_args.at(3));
}

void SupportCommand::audit()
{
    UserError error;
    const QList<AuditEntry> entries = AuditLog(AuditLog::defaultPath()).entries(&error);
    if (error.isError())
        return m_app.fail(error);
    if (m_json) {
        QJsonArray list;
        for (const AuditEntry &entry : entries)
            list << entry.toJson();
        printJson({{QStringLiteral("entries"), list}});
    } else {
        for (const AuditEntry &entry : entries)
            m_app.out() << shortTime(entry.time) << "  " << entry.who << "  " << entry.identityId << "  "
                        << entry.dataset << "/" << entry.key << "  " << entry.operation << "  "
                        << entry.outcome << Qt::endl;
    }
    m_app.finish(Ok);
}

void SupportCommand::crawl()
{
    if (!openIndex())
        return;
    auto *crawler = new IdentityCrawler(*m_session, *m_index, this);
    connect(crawler, &IdentityCrawler::progress, this,
            [this](qint64 indexed, qint64 cards, const IdentityCrawler::Stats &stats) {
                m_app.err() << tr("\rcrawled %1 identities (%2 with a card), %3 requests, %4 s")
                                   .arg(indexed)
                                   .arg(cards)
                                   .arg(stats.requests)
                                   .arg(double(stats.elapsedMs) / 1000.0, 0, 'f', 1);
                m_app.err().flush();
            });
    connect(crawler, &IdentityCrawler::finished, this, [this, crawler](bool) {
        const IdentityCrawler::Stats &stats = crawler->stats();
        const CrawlState state = m_index->state();
        m_app.err() << Qt::endl;
        if (m_json) {
            printJson({{QStringLiteral("identities"), state.identities},
                       {QStringLiteral("cards"), state.cards},
                       {QStringLiteral("listed"), stats.identities},
                       {QStringLiteral("requests"), stats.requests},
                       {QStringLiteral("elapsed_ms"), stats.elapsedMs}});
        } else {
            m_app.out()
                << tr("Index: %1 identities, %2 with an identity card; this crawl listed %3 in %4 requests "
                      "(%5 s)")
                       .arg(state.identities)
                       .arg(state.cards)
                       .arg(stats.identities)
                       .arg(stats.requests)
                       .arg(double(stats.elapsedMs) / 1000.0, 0, 'f', 1)
                << Qt::endl;
        }
        m_app.finish(Ok);
    });
    connect(crawler, &IdentityCrawler::failed, this, [this](const UserError &error) { m_app.fail(error); });
    bool ok = true;
    const QString limit = m_app.parser().value(QStringLiteral("limit"));
    if (!limit.isEmpty())
        crawler->setPageLimit(limit.toInt(&ok));
    if (!ok)
        return usage(tr("--limit takes a number of pages"));
    crawler->start(m_app.parser().isSet(QStringLiteral("full")) ? IdentityCrawler::Mode::Full
                                                                : IdentityCrawler::Mode::Resume);
}

} // namespace fedsync::cli
