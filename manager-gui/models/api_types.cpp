#include "manager-gui/models/api_types.h"

#include <QStringList>

namespace midonet::manager {

QString ApiResult::errorText() const
{
    QStringList parts;
    for (const auto &v : violations) parts << v.property + QStringLiteral(": ") + v.message;
    QString text = status ? QString::number(status) + QStringLiteral(": ") : QString();
    text += message.isEmpty() ? QStringLiteral("error") : message;
    if (!parts.isEmpty()) text += QStringLiteral(" (") + parts.join(QStringLiteral("; ")) + QLatin1Char(')');
    return text;
}

} // namespace midonet::manager
