#include "appicon.h"

namespace fedsync::ui {

QIcon appIcon()
{
    QIcon icon;
    for (const int size : {16, 24, 32, 48, 64})
        icon.addFile(QStringLiteral(":/icons/fedsync-%1.png").arg(size), QSize(size, size));
    return icon;
}

} // namespace fedsync::ui
