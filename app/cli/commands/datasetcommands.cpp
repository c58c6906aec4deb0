#include "datasetcommands.h"

#include "cliapp.h"
#include "common/errorcodes.h"
#include "session/profilecontext.h"
#include "sync/datasetjson.h"
#include "session/userdatasets.h"
#include "sync/identitycard.h"
#include "sync/localstore.h"
#include "sync/syncengine.h"
#include "syncreporter.h"
#include "usecases/datasetfile.h"
#include "usecases/synccontroller.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace fedsync::cli {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("fedsync-cli", text);
}

void usage(CliApp &app, const QString &what, const QString &example)
{
    app.fail(UserError::make(errorcode::Usage, what, {}, tr("Usage: %1").arg(example)), Usage);
}

// Runs `run` with the signed-in user's datasets. Local work needs neither the network nor the keychain
// once this device knows the user's Cognito identity; the first time, the identity is fetched.
void withDatasets(CliApp &app, std::function<void(UserDatasets &)> run)
{
    UserError error;
    ProfileContext *context = app.context(&error);
    if (!context) {
        app.fail(error);
        return;
    }
    std::unique_ptr<UserDatasets> session = UserDatasets::openLastIdentity(*context, &error);
    if (session) {
        std::shared_ptr<UserDatasets> kept(std::move(session));
        app.keep(kept);
        run(*kept);
        return;
    }
    if (error.code == errorcode::SessionNone) {
        app.fail(UserError::make(error.code, tr("Not signed in"), {}, tr("Run fedsync-cli login first")));
        return;
    }
    if (error.code != errorcode::SyncIdentityUnknown) {
        app.fail(error);
        return;
    }
    app.withSession([&app, run](ProfileContext &signedIn) {
        UserDatasets::openSignedIn(
            signedIn, &app, [&app, run](std::unique_ptr<UserDatasets> opened, const UserError &failure) {
                if (!opened) {
                    app.fail(failure);
                    return;
                }
                std::shared_ptr<UserDatasets> kept(std::move(opened));
                app.keep(kept);
                run(*kept);
            });
    });
}

// The live record `key` of `dataset`, or nothing after failing the command with why (absent, removed).
std::optional<LocalRecord> liveRecordOrFail(CliApp &app, const LocalStore &store, const QString &dataset,
                                            const QString &key)
{
    const auto record = store.record(dataset, key);
    if (!record.ok()) {
        app.fail(record.error);
        return std::nullopt;
    }
    if (!record.value || record.value->record.isRemoved()) {
        app.fail(UserError::make(QStringLiteral("sync.record.missing"),
                                 tr("There is no “%1” in the dataset “%2”").arg(key, dataset),
                                 record.value ? tr("It was removed") : QString(),
                                 tr("fedsync-cli export %1 lists the keys").arg(dataset)));
        return std::nullopt;
    }
    return record.value;
}

bool checkName(CliApp &app, const QString &dataset)
{
    if (const UserError error = LocalStore::checkDatasetName(dataset); error.isError()) {
        app.fail(error, Usage);
        return false;
    }
    return true;
}

// `count` arguments, the first a valid dataset name (and, with `key`, the second a valid key); otherwise
// fails the command with the usage exit code.
bool checkArguments(CliApp &app, qsizetype count, const QString &what, const QString &example,
                    bool key = false)
{
    const QStringList args = app.commandArguments();
    if (args.size() != count) {
        usage(app, what, example);
        return false;
    }
    if (!checkName(app, args.at(0)))
        return false;
    if (key) {
        if (const UserError error = LocalStore::checkKey(args.at(1)); error.isError()) {
            app.fail(error, Usage);
            return false;
        }
    }
    return true;
}

std::optional<ConflictPolicy> policyFrom(const QString &name)
{
    if (name.isEmpty())
        return ConflictPolicy::Report;
    if (name == QLatin1String("mine"))
        return ConflictPolicy::KeepMine;
    if (name == QLatin1String("theirs"))
        return ConflictPolicy::KeepTheirs;
    if (name == QLatin1String("newest"))
        return ConflictPolicy::NewestWins;
    return std::nullopt;
}

} // namespace

DatasetsCommand::DatasetsCommand()
    : Command(QStringLiteral("datasets"),
              tr("List the datasets on this device: records, size, last change, pending changes"))
{
    setJsonHelp(tr("Print the list as JSON."));
}

void DatasetsCommand::run(CliApp &app)
{
    if (!app.commandArguments().isEmpty()) {
        usage(app, tr("datasets takes no arguments"), QStringLiteral("fedsync-cli datasets [--json]"));
        return;
    }
    const bool json = app.parser().isSet(QStringLiteral("json"));
    withDatasets(app, [&app, json](UserDatasets &session) {
        const auto datasets = session.store().listDatasets();
        if (!datasets.ok()) {
            app.fail(datasets.error);
            return;
        }
        const QList<LocalDataset> shown = IdentityCard::userDatasets(datasets.value); // as the editor
        QJsonArray list;
        if (!json && !shown.isEmpty())
            app.out() << QStringLiteral("%1 %2 %3 %4 %5")
                             .arg(tr("NAME"), -24)
                             .arg(tr("RECORDS"), 8)
                             .arg(tr("BYTES"), 9)
                             .arg(tr("LAST MODIFIED (UTC)"), -21)
                             .arg(tr("PENDING"))
                      << Qt::endl;
        for (const LocalDataset &dataset : shown) {
            const auto dirty = session.store().dirtyRecords(dataset.name);
            const qsizetype pending = dirty.ok() ? dirty.value.size() : 0;
            const QString modified = dataset.lastModified.toUTC().toString(Qt::ISODate);
            if (json) {
                list.append(QJsonObject{{QStringLiteral("name"), dataset.name},
                                        {QStringLiteral("records"), dataset.recordCount},
                                        {QStringLiteral("bytes"), dataset.storageSizeBytes},
                                        {QStringLiteral("last_modified"), modified},
                                        {QStringLiteral("pending_changes"), pending},
                                        {QStringLiteral("deleted"), dataset.isPendingDelete()}});
                continue;
            }
            QString state = pending > 0 ? tr("%1 change(s)").arg(pending) : QStringLiteral("-");
            if (dataset.isPendingDelete())
                state = tr("deletion");
            app.out() << QStringLiteral("%1 %2 %3 %4 %5")
                             .arg(dataset.name, -24)
                             .arg(dataset.recordCount, 8)
                             .arg(dataset.storageSizeBytes, 9)
                             .arg(modified, -21)
                             .arg(state)
                      << Qt::endl;
        }
        if (json)
            app.out() << QString::fromUtf8(QJsonDocument(list).toJson(QJsonDocument::Indented));
        else if (shown.isEmpty())
            app.err() << tr("No datasets on this device yet (fedsync-cli sync fetches them).") << Qt::endl;
        app.finish(Ok);
    });
}

GetCommand::GetCommand()
    : Command(QStringLiteral("get"), tr("Print a record's value"))
{
    setDescription(tr("Print a record's value as this device has it (exit 1 when there is no such record)."));
    addArgument(QStringLiteral("DATASET"), tr("The dataset's name."));
    addArgument(QStringLiteral("KEY"), tr("The record's key."));
}

void GetCommand::run(CliApp &app)
{
    const QStringList args = app.commandArguments();
    if (!checkArguments(app, 2, tr("get takes a dataset and a key"),
                        QStringLiteral("fedsync-cli get DATASET KEY"), true))
        return;
    withDatasets(app, [&app, args](UserDatasets &session) {
        const std::optional<LocalRecord> record =
            liveRecordOrFail(app, session.store(), args.at(0), args.at(1));
        if (!record)
            return;
        app.out() << *record->record.value << Qt::endl;
        app.finish(Ok);
    });
}

PutCommand::PutCommand()
    : Command(QStringLiteral("put"), tr("Set a record on this device (sent by sync)"))
{
    setDescription(tr("Set a record in the local store; it stays pending until fedsync-cli sync sends it."));
    addArgument(QStringLiteral("DATASET"), tr("The dataset's name (created when new)."));
    addArgument(QStringLiteral("KEY"), tr("The record's key."));
    addArgument(QStringLiteral("VALUE"), tr("The record's value."));
}

void PutCommand::run(CliApp &app)
{
    const QStringList args = app.commandArguments();
    if (!checkArguments(app, 3, tr("put takes a dataset, a key and a value"),
                        QStringLiteral("fedsync-cli put DATASET KEY VALUE"), true))
        return;
    withDatasets(app, [&app, args](UserDatasets &session) {
        if (const UserError error = session.store().putValue(args.at(0), args.at(1), args.at(2));
            error.isError()) {
            app.fail(error);
            return;
        }
        app.err() << tr("Saved on this device; fedsync-cli sync sends it.") << Qt::endl;
        app.finish(Ok);
    });
}

RmCommand::RmCommand()
    : Command(QStringLiteral("rm"), tr("Remove a record on this device (sent by sync)"))
{
    setDescription(
        tr("Remove a record from the local store; the removal stays pending until fedsync-cli sync "
           "sends it."));
    addArgument(QStringLiteral("DATASET"), tr("The dataset's name."));
    addArgument(QStringLiteral("KEY"), tr("The record's key."));
}

void RmCommand::run(CliApp &app)
{
    const QStringList args = app.commandArguments();
    if (!checkArguments(app, 2, tr("rm takes a dataset and a key"),
                        QStringLiteral("fedsync-cli rm DATASET KEY"), true))
        return;
    withDatasets(app, [&app, args](UserDatasets &session) {
        if (!liveRecordOrFail(app, session.store(), args.at(0), args.at(1)))
            return;
        if (const UserError error = session.store().removeValue(args.at(0), args.at(1)); error.isError()) {
            app.fail(error);
            return;
        }
        app.err() << tr("Removed on this device; fedsync-cli sync sends it.") << Qt::endl;
        app.finish(Ok);
    });
}

SyncCommand::SyncCommand()
    : Command(QStringLiteral("sync"), tr("Synchronize with the profile's store"))
{
    setDescription(tr("Synchronize this device's datasets with the profile's store (Cognito Sync or "
                      "DynamoDB). Without --policy, conflicts are reported and left (exit 4)."));
    addArgument(QStringLiteral("DATASET"), tr("Only this dataset (default: all of them)."),
                QStringLiteral("[DATASET]"));
    addOption({QStringLiteral("policy"),
               tr("Settle conflicts: mine (this device wins), theirs (the server wins), newest (the later "
                  "edit wins)."),
               tr("policy")});
}

void SyncCommand::run(CliApp &app)
{
    const QStringList args = app.commandArguments();
    if (args.size() > 1) {
        usage(app, tr("sync takes at most one dataset"),
              QStringLiteral("fedsync-cli sync [DATASET] [--policy mine|theirs|newest]"));
        return;
    }
    const std::optional<ConflictPolicy> policy = policyFrom(app.parser().value(QStringLiteral("policy")));
    if (!policy) {
        usage(app, tr("Unknown conflict policy “%1”").arg(app.parser().value(QStringLiteral("policy"))),
              QStringLiteral("fedsync-cli sync [DATASET] --policy mine|theirs|newest"));
        return;
    }
    const QString only = args.value(0);
    if (!only.isEmpty() && !checkName(app, only))
        return;
    app.withSession([&app, only, policy = *policy](ProfileContext &context) {
        UserDatasets::openSignedIn(
            context, &app,
            [&app, only, policy](std::unique_ptr<UserDatasets> opened, const UserError &error) {
                if (!opened) {
                    app.fail(error);
                    return;
                }
                std::shared_ptr<UserDatasets> session(std::move(opened));
                app.keep(session);
                auto sync = std::make_shared<SyncController>(session->store(), session->engine());
                app.keep(sync);
                sync->setConflictPolicy(policy);
                reportSync(app, session, *sync);
                sync->syncNow(only);
            });
    });
}

ExportCommand::ExportCommand()
    : Command(QStringLiteral("export"), tr("Print a dataset as JSON"))
{
    setDescription(tr("Print a dataset as JSON ({\"dataset\": ..., \"records\": [{\"key\": ..., \"value\": "
                      "...}]}), the format import reads."));
    addArgument(QStringLiteral("DATASET"), tr("The dataset's name."));
}

void ExportCommand::run(CliApp &app)
{
    const QStringList args = app.commandArguments();
    if (!checkArguments(app, 1, tr("export takes a dataset"),
                        QStringLiteral("fedsync-cli export DATASET > FILE")))
        return;
    withDatasets(app, [&app, args](UserDatasets &session) {
        const QString name = args.at(0);
        const StoreResult<std::optional<LocalDataset>> dataset = session.store().dataset(name);
        if (!dataset.ok() || !dataset.value || dataset.value->isPendingDelete()) {
            app.fail(dataset.ok()
                         ? UserError::make(QStringLiteral("cli.dataset.unknown"),
                                           tr("There is no dataset “%1” here").arg(name), {},
                                           tr("Run fedsync-cli sync first to fetch it, or check the name"))
                         : dataset.error);
            return;
        }
        const StoreResult<QList<LocalRecord>> records = session.store().records(name);
        if (!records.ok()) {
            app.fail(records.error);
            return;
        }
        app.out() << QString::fromUtf8(DatasetJson::write(name, records.value));
        app.finish(Ok);
    });
}

ImportCommand::ImportCommand()
    : Command(QStringLiteral("import"), tr("Set records from an export's JSON (all or nothing)"))
{
    setDescription(tr("Set records from an export's JSON, all or nothing; only the records whose value "
                      "differs become pending."));
    addArgument(QStringLiteral("DATASET"), tr("The dataset's name."));
    addArgument(QStringLiteral("FILE"), tr("The JSON file, or - for standard input."),
                QStringLiteral("FILE|-"));
}

void ImportCommand::run(CliApp &app)
{
    const QStringList args = app.commandArguments();
    if (!checkArguments(app, 2, tr("import takes a dataset and a file (- for standard input)"),
                        QStringLiteral("fedsync-cli import DATASET FILE|-")))
        return;
    const QString dataset = args.at(0);
    QFile input;
    const bool fromStdin = args.at(1) == QLatin1String("-");
    if (fromStdin)
        input.open(stdin, QIODevice::ReadOnly);
    const StoreResult<DatasetDocument> document =
        fromStdin ? DatasetFile::read(input, tr("standard input")) : DatasetFile::read(args.at(1));
    if (!document.ok()) {
        app.fail(document.error);
        return;
    }
    withDatasets(app, [&app, dataset, document = document.value](UserDatasets &session) {
        // Only records whose value differs become pending; all or nothing (one transaction, limits
        // checked before the first write).
        const StoreResult<DatasetFile::Records> changedRecords =
            DatasetFile::changedRecords(session.store(), dataset, document.records);
        if (!changedRecords.ok()) {
            app.fail(changedRecords.error);
            return;
        }
        const DatasetFile::Records &changed = changedRecords.value;
        if (!changed.isEmpty()) {
            if (const UserError failure = session.store().putValues(dataset, changed); failure.isError()) {
                app.fail(failure);
                return;
            }
        }
        app.err() << tr("Imported %1 record(s) into “%2”, %3 changed; fedsync-cli sync sends them.")
                         .arg(document.records.size())
                         .arg(dataset)
                         .arg(changed.size())
                  << Qt::endl;
        app.finish(Ok);
    });
}

} // namespace fedsync::cli
