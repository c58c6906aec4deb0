#include "aws/awserror.h"

#include "log/redact.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>
#include <QXmlStreamReader>

namespace fedsync::aws {
namespace {

QByteArray headerValue(const QList<QNetworkReply::RawHeaderPair> &headers, const QByteArray &name)
{
    for (const auto &[key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

// "aws.protocol.tests#NotAuthorizedException" -> "NotAuthorizedException"; "Code:http://…" -> "Code".
QString cleanType(QString type)
{
    type = type.trimmed();
    const qsizetype colon = type.indexOf(QLatin1Char(':'));
    if (colon >= 0)
        type.truncate(colon);
    const qsizetype hash = type.lastIndexOf(QLatin1Char('#'));
    if (hash >= 0)
        type.remove(0, hash + 1);
    return type.trimmed();
}

bool parseJson(const QByteArray &body, QString &type, QString &message)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return false;
    const QJsonObject object = document.object();
    for (const auto *key : {"__type", "code", "Code"}) {
        const QString value = object.value(QLatin1String(key)).toString();
        if (!value.isEmpty() && type.isEmpty())
            type = cleanType(value);
    }
    for (const auto *key : {"message", "Message", "errorMessage"}) {
        const QString value = object.value(QLatin1String(key)).toString();
        if (!value.isEmpty() && message.isEmpty())
            message = value;
    }
    return true;
}

// <ErrorResponse><Error><Code/><Message/></Error><RequestId/></ErrorResponse>, or a bare <Error>.
bool parseXml(const QByteArray &body, QString &type, QString &message, QString &requestId)
{
    QXmlStreamReader xml(body);
    bool inError = false;
    bool sawRoot = false;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement) {
            if (xml.isEndElement() && xml.name() == QLatin1String("Error"))
                inError = false;
            continue;
        }
        const auto name = xml.name();
        if (!sawRoot) {
            sawRoot = true;
            if (name != QLatin1String("ErrorResponse") && name != QLatin1String("Error"))
                return false;
        }
        if (name == QLatin1String("Error")) {
            inError = true;
        } else if (inError && name == QLatin1String("Code")) {
            type = cleanType(xml.readElementText());
        } else if (inError && name == QLatin1String("Message")) {
            message = xml.readElementText();
        } else if (name == QLatin1String("RequestId") || name == QLatin1String("RequestID")) {
            requestId = xml.readElementText();
        }
    }
    // A truncated document still counts if its code came through.
    return !type.isEmpty();
}

// A short, safe description of a body that is not an AWS error.
QString describeBody(const QByteArray &body, const QByteArray &contentType)
{
    if (body.trimmed().isEmpty())
        return QStringLiteral("an empty body");
    QString text = QString::fromUtf8(body.left(2000));
    const QRegularExpression title(QStringLiteral("<title>(.*?)</title>"),
                                   QRegularExpression::CaseInsensitiveOption |
                                       QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch match = title.match(text);
    if (match.hasMatch())
        text = match.captured(1);
    else
        text.remove(QRegularExpression(QStringLiteral("<[^>]*>")));
    text = scrubSecrets(text.simplified());
    if (text.size() > 120)
        text = text.left(120) + QStringLiteral("…");
    const QString kind =
        contentType.isEmpty() ? QStringLiteral("unknown type") : QString::fromLatin1(contentType);
    return QStringLiteral("a body that is not an AWS error (%1: \"%2\")").arg(kind, text);
}

} // namespace

bool AwsError::isThrottling() const
{
    static const QStringList codes{
        QStringLiteral("Throttling"),
        QStringLiteral("ThrottlingException"),
        QStringLiteral("ThrottledException"),
        QStringLiteral("RequestThrottledException"),
        QStringLiteral("RequestThrottled"),
        QStringLiteral("TooManyRequestsException"),
        QStringLiteral("ProvisionedThroughputExceededException"),
        QStringLiteral("TransactionInProgressException"),
        QStringLiteral("RequestLimitExceeded"),
        QStringLiteral("BandwidthLimitExceeded"),
        QStringLiteral("SlowDown"),
        QStringLiteral("PriorRequestNotComplete"),
        QStringLiteral("EC2ThrottledException"),
    };
    return httpStatus == 429 || codes.contains(type);
}

bool AwsError::isClockSkew() const
{
    static const QStringList codes{QStringLiteral("RequestTimeTooSkewed"), QStringLiteral("RequestExpired"),
                                   QStringLiteral("RequestInTheFuture")};
    if (codes.contains(type))
        return true;
    if (type == QLatin1String("InvalidSignatureException") || type == QLatin1String("AuthFailure") ||
        type == QLatin1String("SignatureDoesNotMatch"))
        return message.contains(QLatin1String("Signature expired"), Qt::CaseInsensitive) ||
               message.contains(QLatin1String("Signature not yet current"), Qt::CaseInsensitive);
    return false;
}

bool AwsError::isPossiblyClockSkew() const
{
    static const QStringList codes{QStringLiteral("SignatureDoesNotMatch"),
                                   QStringLiteral("InvalidSignatureException"), QStringLiteral("AuthFailure"),
                                   QStringLiteral("InvalidClientTokenId")};
    return isClockSkew() || codes.contains(type);
}

bool AwsError::isRetryable() const
{
    static const QStringList transient{
        QStringLiteral("RequestTimeout"), QStringLiteral("RequestTimeoutException"),
        QStringLiteral("InternalError"), QStringLiteral("InternalErrorException"),
        QStringLiteral("ServiceUnavailable")};
    return httpStatus >= 500 || isThrottling() || transient.contains(type);
}

QString AwsError::toString() const
{
    QString text = QStringLiteral("%1 (HTTP %2)").arg(type).arg(httpStatus);
    if (!message.isEmpty())
        text += QStringLiteral(": ") + message;
    return text;
}

QDateTime AwsError::parseHttpDate(const QByteArray &value)
{
    const QString text = QString::fromLatin1(value).trimmed();
    if (text.isEmpty())
        return {};
    QDateTime date = QDateTime::fromString(text, Qt::RFC2822Date);
    if (!date.isValid()) // "Sun, 06 Nov 1994 08:49:37 GMT" with an unusual zone spelling
        date = QLocale::c().toDateTime(text.left(25), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss"));
    if (!date.isValid())
        return {};
    if (date.timeSpec() == Qt::LocalTime)
        date.setTimeSpec(Qt::UTC);
    return date.toUTC();
}

AwsError AwsError::parse(AwsProtocol protocol, int status, const QList<QNetworkReply::RawHeaderPair> &headers,
                         const QByteArray &body)
{
    AwsError error;
    error.httpStatus = status;
    error.serverDate = parseHttpDate(headerValue(headers, "Date"));
    error.requestId = QString::fromLatin1(headerValue(headers, "x-amzn-RequestId"));
    if (error.requestId.isEmpty())
        error.requestId = QString::fromLatin1(headerValue(headers, "x-amz-request-id"));

    const QByteArray typeHeader = headerValue(headers, "x-amzn-ErrorType");
    if (!typeHeader.isEmpty())
        error.type = cleanType(QString::fromLatin1(typeHeader));

    const QByteArray trimmed = body.trimmed();
    bool recognized = false;
    const bool looksXml = trimmed.startsWith('<');
    if (protocol == AwsProtocol::Query || looksXml) {
        QString type;
        QString requestId;
        recognized = parseXml(trimmed, type, error.message, requestId);
        if (error.type.isEmpty())
            error.type = type;
        if (error.requestId.isEmpty())
            error.requestId = requestId;
    }
    if (!recognized && !looksXml) {
        QString type;
        recognized = parseJson(trimmed, type, error.message);
        if (error.type.isEmpty())
            error.type = type;
    }
    // REST-JSON may carry the type only in the header and an empty or non-JSON body.
    if (error.type.isEmpty()) {
        error.unrecognizedBody = true;
        error.type = QStringLiteral("UnknownError");
        if (error.message.isEmpty())
            error.message = QStringLiteral("HTTP %1 with %2")
                                .arg(status)
                                .arg(describeBody(body, headerValue(headers, "Content-Type")));
    }
    return error;
}

} // namespace fedsync::aws
