#include "profileeditordialog.h"
#include "ui_profileeditordialog.h"

#include "config/profilefields.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace fedsync::ui {

ProfileEditorDialog::ProfileEditorDialog(const Profile &profile, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::ProfileEditorDialog>())
    , m_original(profile)
    , m_pickFile([this](const QString &current) {
        return QFileDialog::getOpenFileName(this, tr("Extra CA certificates"), current,
                                            tr("PEM certificates (*.pem *.crt);;All files (*)"));
    })
{
    m_ui->setupUi(this);
    setWindowTitle(profile.name.isEmpty() ? tr("New profile") : tr("Profile “%1”").arg(profile.name));
    load(profile);
    for (QLineEdit *edit : findChildren<QLineEdit *>())
        connect(edit, &QLineEdit::textChanged, this, &ProfileEditorDialog::revalidate);
    connect(m_ui->browser, &QComboBox::currentIndexChanged, this, &ProfileEditorDialog::revalidate);
    connect(m_ui->flow, &QComboBox::currentIndexChanged, this, &ProfileEditorDialog::revalidate);
    connect(m_ui->maxAge, &QSpinBox::valueChanged, this, &ProfileEditorDialog::revalidate);
    connect(m_ui->store, &QComboBox::currentIndexChanged, this, [this] {
        updateStoreFields();
        revalidate();
    });
    connect(m_ui->browseCaFile, &QPushButton::clicked, this, [this] {
        const QString path = m_pickFile(m_ui->caFile->text());
        if (!path.isEmpty())
            m_ui->caFile->setText(path);
    });
    connect(m_ui->buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_ui->buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateStoreFields();
    revalidate();
}

ProfileEditorDialog::~ProfileEditorDialog() = default;

void ProfileEditorDialog::load(const Profile &p)
{
    m_ui->name->setText(p.name);
    for (const ProfileTextField &field : ProfileFields::text()) {
        if (auto *edit = qobject_cast<QLineEdit *>(widgetForField(field.path)))
            edit->setText(field.get(p));
    }
    for (const ProfileValueField &field : ProfileFields::values()) {
        QWidget *widget = widgetForField(field.path);
        const std::optional<int> value = field.get(p);
        if (auto *combo = qobject_cast<QComboBox *>(widget)) // item i is choice i
            combo->setCurrentIndex(value.value_or(field.fallback));
        else if (auto *spin = qobject_cast<QSpinBox *>(widget)) // 0: not set
            spin->setValue(value.value_or(0));
        else if (auto *check = qobject_cast<QCheckBox *>(widget))
            check->setChecked(value.value_or(field.fallback) != 0);
    }
    m_ui->caFile->setText(p.caFile);
}

Profile ProfileEditorDialog::profile() const
{
    Profile p = m_original;
    p.name = m_ui->name->text();
    for (const ProfileTextField &field : ProfileFields::text()) {
        if (auto *edit = qobject_cast<QLineEdit *>(widgetForField(field.path)))
            field.set(p, edit->text());
    }
    // A setting without a widget here (the identity card) keeps the original's value.
    for (const ProfileValueField &field : ProfileFields::values()) {
        QWidget *widget = widgetForField(field.path);
        if (auto *combo = qobject_cast<QComboBox *>(widget))
            field.set(p, combo->currentIndex());
        else if (auto *spin = qobject_cast<QSpinBox *>(widget))
            field.set(p, spin->value() > 0 ? std::optional<int>(spin->value()) : std::nullopt);
        else if (auto *check = qobject_cast<QCheckBox *>(widget))
            field.set(p, check->isChecked() ? 1 : 0);
    }
    // The DynamoDB fields are kept as typed while Cognito Sync is chosen (switching back finds them).
    p.cognito.dynamoDbRegion = p.cognito.dynamoDbRegion.toLower();
    p.caFile = m_ui->caFile->text();
    return ProfileValidator::normalize(p);
}

QWidget *ProfileEditorDialog::widgetForField(const QString &field) const
{
    static const QHash<QString, QString> names = {
        {QStringLiteral("name"), QStringLiteral("name")},
        {QStringLiteral("auth0.domain"), QStringLiteral("domain")},
        {QStringLiteral("auth0.client_id"), QStringLiteral("clientId")},
        {QStringLiteral("auth0.audience"), QStringLiteral("audience")},
        {QStringLiteral("auth0.scope"), QStringLiteral("scope")},
        {QStringLiteral("auth0.redirect_uri"), QStringLiteral("redirectUri")},
        {QStringLiteral("auth0.logout_return_to"), QStringLiteral("logoutReturnTo")},
        {QStringLiteral("auth0.browser"), QStringLiteral("browser")},
        {QStringLiteral("auth0.connection"), QStringLiteral("connection")},
        {QStringLiteral("auth0.organization"), QStringLiteral("organization")},
        {QStringLiteral("auth0.max_age"), QStringLiteral("maxAge")},
        {QStringLiteral("auth0.ui_locales"), QStringLiteral("uiLocales")},
        {QStringLiteral("cognito.region"), QStringLiteral("region")},
        {QStringLiteral("cognito.identity_pool_id"), QStringLiteral("identityPoolId")},
        {QStringLiteral("cognito.provider_name"), QStringLiteral("providerName")},
        {QStringLiteral("cognito.account_id"), QStringLiteral("accountId")},
        {QStringLiteral("cognito.flow"), QStringLiteral("flow")},
        {QStringLiteral("cognito.role_arn"), QStringLiteral("roleArn")},
        {QStringLiteral("cognito.custom_role_arn"), QStringLiteral("customRoleArn")},
        {QStringLiteral("cognito.endpoints.cognito_identity"), QStringLiteral("cognitoIdentityEndpoint")},
        {QStringLiteral("cognito.endpoints.sts"), QStringLiteral("stsEndpoint")},
        {QStringLiteral("cognito.endpoints.cognito_sync"), QStringLiteral("cognitoSyncEndpoint")},
        {QStringLiteral("dynamodb.table"), QStringLiteral("dynamoDbTable")},
        {QStringLiteral("dynamodb.region"), QStringLiteral("dynamoDbRegion")},
        {QStringLiteral("dynamodb.endpoint"), QStringLiteral("dynamoDbEndpoint")},
        {QStringLiteral("store"), QStringLiteral("store")},
        {QStringLiteral("ca_file"), QStringLiteral("caFile")},
    };
    const QString name = names.value(field);
    return name.isEmpty() ? nullptr : findChild<QWidget *>(name);
}

void ProfileEditorDialog::updateStoreFields()
{
    const bool dynamoDb = m_ui->store->currentIndex() == 1;
    for (QWidget *field : {static_cast<QWidget *>(m_ui->dynamoDbTable), static_cast<QWidget *>(m_ui->dynamoDbRegion),
                           static_cast<QWidget *>(m_ui->dynamoDbEndpoint)})
        field->setEnabled(dynamoDb);
    m_ui->storeHint->setText(
        dynamoDb ? tr("New setups keep their datasets in a DynamoDB table keyed by the Cognito identity id "
                      "(fedsync-cli setup dynamodb prints the table and the IAM policy). The Cognito Sync "
                      "endpoint, when filled in, is where Tools > Migrate from Cognito Sync… copies your "
                      "existing datasets from; leave it empty if you never used Cognito Sync.")
                 : tr("Cognito Sync takes no new customers since July 2026: keep it if your AWS account "
                      "already uses it. Its endpoint is empty for the regional one."));
}

void ProfileEditorDialog::revalidate()
{
    const Profile p = profile();
    m_issues = ProfileValidator::validate(p);

    // The Logins key Cognito will get unless overridden: shown, not filled in.
    const QUrl issuer = p.auth0.issuer();
    m_ui->providerName->setPlaceholderText(
        issuer.isValid() ? tr("derived: %1").arg(CognitoSettings{}.effectiveProviderName(issuer))
                         : QString());

    m_ui->dynamoDbRegion->setPlaceholderText(
        p.cognito.region.isEmpty() ? tr("the identity pool's region")
                                   : tr("the identity pool's: %1").arg(p.cognito.region));

    for (QWidget *widget : findChildren<QWidget *>()) {
        if (widget->property("fedsyncIssue").isValid()) {
            widget->setProperty("fedsyncIssue", QVariant());
            widget->setStyleSheet(QString());
            widget->setToolTip(QString());
        }
    }
    QStringList lines;
    for (const ProfileIssue &issue : std::as_const(m_issues)) {
        const bool error = issue.severity == ProfileIssue::Severity::Error;
        lines << QStringLiteral("<li><b>%1</b> %2</li>")
                     .arg(error ? tr("Error:") : tr("Warning:"), issue.error.text().toHtmlEscaped());
        if (QWidget *widget = widgetForField(issue.field)) {
            widget->setProperty("fedsyncIssue", true);
            widget->setStyleSheet(error ? QStringLiteral("border: 1px solid #c62828;")
                                        : QStringLiteral("border: 1px solid #ef6c00;"));
            widget->setToolTip(issue.error.text());
        }
    }
    m_ui->issues->setText(lines.isEmpty()
                              ? tr("The profile looks complete.")
                              : QStringLiteral("<ul style=\"margin:0\">%1</ul>").arg(lines.join(QString())));
    m_ui->buttons->button(QDialogButtonBox::Ok)->setEnabled(!ProfileValidator::hasErrors(m_issues));
}

} // namespace fedsync::ui
