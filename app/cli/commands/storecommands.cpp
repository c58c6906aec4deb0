#include "storecommands.h"

#include "cliapp.h"
#include "common/errorcodes.h"
#include "session/profilecontext.h"
#include "sync/dynamodbschema.h"
#include "usecases/cognitosyncmigration.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

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

QJsonObject reportJson(const CognitoSyncMigration::Report &report)
{
    QJsonArray datasets;
    for (const CognitoSyncMigration::DatasetReport &d : report.datasets) {
        datasets.append(
            QJsonObject{{QStringLiteral("dataset"), d.name},
                        {QStringLiteral("copied"), d.copied},
                        {QStringLiteral("removals_copied"), d.removalsCopied},
                        {QStringLiteral("already_there"), d.alreadyThere},
                        {QStringLiteral("kept_in_dynamodb"), QJsonArray::fromStringList(d.keptInTarget)},
                        {QStringLiteral("source_records"), d.sourceRecords},
                        {QStringLiteral("source_bytes"), d.sourceBytes},
                        {QStringLiteral("target_records"), d.targetRecords},
                        {QStringLiteral("target_bytes"), d.targetBytes},
                        {QStringLiteral("verified"), d.verified}});
    }
    return {{QStringLiteral("written"), report.written()},
            {QStringLiteral("nothing_copied"), report.nothingCopied()},
            {QStringLiteral("datasets"), datasets}};
}

} // namespace

MigrateCommand::MigrateCommand()
    : Command(QStringLiteral("migrate"),
              tr("Copy your Cognito Sync datasets into the profile's DynamoDB table"))
{
    setDescription(tr("Copy the signed-in user's Cognito Sync datasets into the profile's DynamoDB table, "
                      "then check that counts and sizes match. Cognito Sync is not changed."));
    setUsage(QStringLiteral("--from cognito-sync [--json]"));
    addOption({QStringLiteral("from"), tr("The store to copy from (cognito-sync)."), tr("store")});
    setJsonHelp(tr("Print the report as JSON."));
}

void MigrateCommand::run(CliApp &app)
{
    const QString from = app.parser().value(QStringLiteral("from"));
    if (!app.commandArguments().isEmpty() || from != QLatin1String("cognito-sync")) {
        usage(app, tr("migrate copies from Cognito Sync only"),
              QStringLiteral("fedsync-cli migrate --from cognito-sync [--json]"));
        return;
    }
    const bool json = app.parser().isSet(QStringLiteral("json"));
    app.withSession([&app, json](ProfileContext &context) {
        CognitoSyncMigration::prepare(
            context, &app,
            [&app, json](std::unique_ptr<CognitoSyncMigration> migration, const UserError &error) {
                if (!migration)
                    return app.fail(error);
                std::shared_ptr<CognitoSyncMigration> running(std::move(migration));
                app.keep(running);
                QObject::connect(
                    running.get(), &CognitoSyncMigration::progress, &app,
                    [&app, json](const QString &dataset, int index, int total) {
                        if (!json)
                            app.err() << tr("Copying %1 (%2 of %3)…").arg(dataset).arg(index + 1).arg(total)
                                      << Qt::endl;
                    });
                QObject::connect(running.get(), &CognitoSyncMigration::failed, &app,
                                 [&app](const UserError &failure) { app.fail(failure); });
                QObject::connect(
                    running.get(), &CognitoSyncMigration::finished, &app,
                    [&app, json](const CognitoSyncMigration::Report &report) {
                        if (json) {
                            app.out() << QJsonDocument(reportJson(report)).toJson(QJsonDocument::Indented);
                            return app.finish(Ok);
                        }
                        for (const CognitoSyncMigration::DatasetReport &d : report.datasets) {
                            app.out()
                                << tr("%1: %2 values and %3 removals copied, %4 already there; %5 records "
                                      "(%6 bytes) in both stores")
                                       .arg(d.name)
                                       .arg(d.copied)
                                       .arg(d.removalsCopied)
                                       .arg(d.alreadyThere)
                                       .arg(d.targetRecords)
                                       .arg(d.targetBytes)
                                << Qt::endl;
                            if (!d.keptInTarget.isEmpty())
                                app.out() << tr("  kept as DynamoDB has them (changed there since): %1")
                                                 .arg(d.keptInTarget.join(QStringLiteral(", ")))
                                          << Qt::endl;
                        }
                        if (report.datasets.isEmpty())
                            app.out() << tr("Cognito Sync holds no datasets for this identity.") << Qt::endl;
                        else if (report.nothingCopied())
                            app.out()
                                << tr("Nothing to copy: DynamoDB already holds every record.") << Qt::endl;
                        else
                            app.out() << tr("Copied %1 records; counts and sizes match. Cognito Sync was not "
                                            "changed.")
                                             .arg(report.written())
                                      << Qt::endl;
                        app.finish(Ok);
                    });
                running->start();
            });
    });
}

SetupCommand::SetupCommand()
    : Command(QStringLiteral("setup"), tr("Print what a new AWS setup creates"))
{
    setDescription(tr("Print what a new AWS setup creates for the profile: the DynamoDB table and the IAM "
                      "policy that lets each identity reach only its own items."));
    addArgument(QStringLiteral("TARGET"), tr("What to set up: dynamodb."), QStringLiteral("dynamodb"));
    setJsonHelp(tr("Print the commands and the policy as JSON."));
}

void SetupCommand::run(CliApp &app)
{
    const QStringList args = app.commandArguments();
    if (args != QStringList{QStringLiteral("dynamodb")}) {
        usage(app, tr("setup knows one target"), QStringLiteral("fedsync-cli setup dynamodb [--json]"));
        return;
    }
    UserError error;
    ProfileContext *context = app.context(&error);
    if (!context)
        return app.fail(error);
    const CognitoSettings &c = context->profile().cognito;
    const QString table = c.dynamoDbTable.isEmpty() ? QStringLiteral("fedsync-datasets") : c.dynamoDbTable;
    const QString region =
        c.effectiveDynamoDbRegion().isEmpty() ? QStringLiteral("REGION") : c.effectiveDynamoDbRegion();
    const QString account = c.accountId.isEmpty() ? QStringLiteral("ACCOUNT_ID") : c.accountId;
    static const QRegularExpression roleName(
        QStringLiteral("^arn:aws[a-z-]*:iam::\\d{12}:role/(?:.*/)?([^/]+)$"));
    const QRegularExpressionMatch role = roleName.match(c.roleArn.isEmpty() ? c.customRoleArn : c.roleArn);
    const QString roleText = role.hasMatch() ? role.captured(1) : QStringLiteral("AUTHENTICATED_ROLE_NAME");

    const QStringList createTable{
        QStringLiteral("aws"),
        QStringLiteral("dynamodb"),
        QStringLiteral("create-table"),
        QStringLiteral("--region"),
        region,
        QStringLiteral("--table-name"),
        table,
        QStringLiteral("--attribute-definitions"),
        QStringLiteral("AttributeName=%1,AttributeType=S").arg(dynamodb::PartitionKey),
        QStringLiteral("AttributeName=%1,AttributeType=S").arg(dynamodb::SortKey),
        QStringLiteral("AttributeName=%1,AttributeType=S").arg(dynamodb::attr::CardLookup),
        QStringLiteral("--key-schema"),
        QStringLiteral("AttributeName=%1,KeyType=HASH").arg(dynamodb::PartitionKey),
        QStringLiteral("AttributeName=%1,KeyType=RANGE").arg(dynamodb::SortKey),
        // The card index: support staff find a user by email or Auth0 sub (docs/dynamodb-store.md).
        QStringLiteral("--global-secondary-indexes"),
        QStringLiteral("IndexName=%1,KeySchema=[{AttributeName=%2,KeyType=HASH}],"
                       "Projection={ProjectionType=KEYS_ONLY}")
            .arg(dynamodb::CardIndex, dynamodb::attr::CardLookup),
        QStringLiteral("--billing-mode"),
        QStringLiteral("PAY_PER_REQUEST")};
    const QJsonObject policy{
        {QStringLiteral("Version"), QStringLiteral("2012-10-17")},
        {QStringLiteral("Statement"),
         QJsonArray{QJsonObject{
             {QStringLiteral("Sid"), QStringLiteral("FedsyncOwnItemsOnly")},
             {QStringLiteral("Effect"), QStringLiteral("Allow")},
             {QStringLiteral("Action"),
              QJsonArray{QStringLiteral("dynamodb:GetItem"), QStringLiteral("dynamodb:PutItem"),
                         QStringLiteral("dynamodb:UpdateItem"), QStringLiteral("dynamodb:DeleteItem"),
                         QStringLiteral("dynamodb:Query"), QStringLiteral("dynamodb:ConditionCheckItem")}},
             {QStringLiteral("Resource"),
              QJsonArray{QStringLiteral("arn:aws:dynamodb:%1:%2:table/%3").arg(region, account, table)}},
             {QStringLiteral("Condition"),
              QJsonObject{
                  {QStringLiteral("ForAllValues:StringEquals"),
                   QJsonObject{{QStringLiteral("dynamodb:LeadingKeys"),
                                QJsonArray{QStringLiteral("${cognito-identity.amazonaws.com:sub}")}}}}}}}}}};
    // Support staff (fedsync-cli support, the support console) with their own IAM identity: find by the
    // card index, read any identity's items (card, datasets, records) and, to edit as support, write
    // them as the app does (a transaction's rights are its items'). Never attached to the pool's roles.
    const QString tableArn = QStringLiteral("arn:aws:dynamodb:%1:%2:table/%3").arg(region, account, table);
    const QJsonObject staffPolicy{
        {QStringLiteral("Version"), QStringLiteral("2012-10-17")},
        {QStringLiteral("Statement"),
         QJsonArray{QJsonObject{{QStringLiteral("Sid"), QStringLiteral("FedsyncSupportFindByCard")},
                                {QStringLiteral("Effect"), QStringLiteral("Allow")},
                                {QStringLiteral("Action"), QJsonArray{QStringLiteral("dynamodb:Query")}},
                                {QStringLiteral("Resource"),
                                 QJsonArray{QString(tableArn + QStringLiteral("/index/") + dynamodb::CardIndex)}}},
                    QJsonObject{{QStringLiteral("Sid"), QStringLiteral("FedsyncSupportReadCards")},
                                {QStringLiteral("Effect"), QStringLiteral("Allow")},
                                {QStringLiteral("Action"), QJsonArray{QStringLiteral("dynamodb:GetItem"),
                                                                      QStringLiteral("dynamodb:Query")}},
                                {QStringLiteral("Resource"), QJsonArray{tableArn}}},
                    QJsonObject{{QStringLiteral("Sid"), QStringLiteral("FedsyncSupportEdit")},
                                {QStringLiteral("Effect"), QStringLiteral("Allow")},
                                {QStringLiteral("Action"),
                                 QJsonArray{QStringLiteral("dynamodb:PutItem"),
                                            QStringLiteral("dynamodb:UpdateItem"),
                                            QStringLiteral("dynamodb:DeleteItem"),
                                            QStringLiteral("dynamodb:ConditionCheckItem")}},
                                {QStringLiteral("Resource"), QJsonArray{tableArn}}}}}};
    const QStringList putPolicy{QStringLiteral("aws"),
                                QStringLiteral("iam"),
                                QStringLiteral("put-role-policy"),
                                QStringLiteral("--role-name"),
                                roleText,
                                QStringLiteral("--policy-name"),
                                QStringLiteral("fedsync-dynamodb-own-items"),
                                QStringLiteral("--policy-document"),
                                QStringLiteral("file://fedsync-dynamodb-policy.json")};
    if (app.parser().isSet(QStringLiteral("json"))) {
        app.out() << QJsonDocument(
                         QJsonObject{
                             {QStringLiteral("create_table"), QJsonArray::fromStringList(createTable)},
                             {QStringLiteral("put_role_policy"), QJsonArray::fromStringList(putPolicy)},
                             {QStringLiteral("policy"), policy},
                             {QStringLiteral("staff_policy"), staffPolicy}})
                         .toJson(QJsonDocument::Indented);
        return app.finish(Ok);
    }
    QString command = createTable.mid(0, 7).join(u' ');
    for (qsizetype i = 7; i < createTable.size(); ++i) {
        QString arg = createTable.at(i);
        if (arg.contains(u'{') || arg.contains(u'[')) // the shell would expand braces
            arg = u'\'' + arg + u'\'';
        command +=
            (arg.startsWith(QLatin1String("--")) ? QStringLiteral(" \\\n    ") : QStringLiteral(" ")) + arg;
    }
    app.out()
        << tr("# 1. Create the table (one per application; on-demand capacity):") << Qt::endl
        << command << Qt::endl
        << Qt::endl
        << tr("# 2. Let each signed-in identity reach only its own items: save this policy as "
              "fedsync-dynamodb-policy.json")
        << Qt::endl
        << QString::fromUtf8(QJsonDocument(policy).toJson(QJsonDocument::Indented)) << Qt::endl
        << tr("# and attach it to the identity pool's authenticated role:") << Qt::endl
        << putPolicy.join(u' ') << Qt::endl
        << Qt::endl
        << tr("# 3. In the profile: store \"dynamodb\", table \"%1\", region \"%2\". Existing Cognito Sync "
              "users then run: fedsync-cli migrate --from cognito-sync")
               .arg(table, region)
        << Qt::endl
        << Qt::endl
        << tr("# 4. Support staff (fedsync-cli support, the support console) find users through the index "
              "%1 and read their datasets: allow their own IAM user or role (never the pool's roles) this "
              "policy (leave out the statement FedsyncSupportEdit for read-only staff):")
               .arg(dynamodb::CardIndex)
        << Qt::endl
        << QString::fromUtf8(QJsonDocument(staffPolicy).toJson(QJsonDocument::Indented)) << Qt::endl;
    app.finish(Ok);
}

} // namespace fedsync::cli
