#include "jwtreporthtml.h"

#include <QCoreApplication>
#include <QJsonDocument>

namespace fedsync::ui {

QString jwtReportHtml(const JwtInspection &inspection)
{
    auto tr = [](const char *text) {
        return QCoreApplication::translate("JwtReport", text);
    };
    if (!inspection.decoded)
        return QStringLiteral("<p><b>%1</b> %2</p>")
            .arg(tr("Not a JWT:").toHtmlEscaped(), inspection.error.toHtmlEscaped());
    QString html = QStringLiteral("<table cellpadding='3'>");
    for (const JwtCheck &c : inspection.checks) {
        const QString colour = c.outcome == JwtCheck::Outcome::Pass   ? QStringLiteral("#2e7d32")
                               : c.outcome == JwtCheck::Outcome::Fail ? QStringLiteral("#c62828")
                                                                      : QStringLiteral("#757575");
        html += QStringLiteral("<tr><td><b>%1</b></td><td style='color:%2'>%3</td><td>%4</td></tr>")
                    .arg(c.id.toHtmlEscaped(), colour, JwtCheck::outcomeName(c.outcome),
                         c.detail.toHtmlEscaped());
    }
    html += QStringLiteral("</table><p>");
    for (const auto &[name, text] : inspection.dates)
        html += QStringLiteral("<b>%1</b>: %2<br>").arg(name.toHtmlEscaped(), text.toHtmlEscaped());
    html += QStringLiteral("</p><h4>%1</h4><pre>%2</pre><h4>%3</h4><pre>%4</pre>")
                .arg(tr("Header").toHtmlEscaped(),
                     QString::fromUtf8(QJsonDocument(inspection.header).toJson()).toHtmlEscaped(),
                     tr("Claims").toHtmlEscaped(),
                     QString::fromUtf8(QJsonDocument(inspection.claims).toJson()).toHtmlEscaped());
    return html;
}

} // namespace fedsync::ui
