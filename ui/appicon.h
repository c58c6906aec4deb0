// Fedsync's icon for windows and the about box: the PNG renderings of resources/icons/fedsync.svg at the
// sizes a window manager asks for. PNGs, not the SVG, because the window icon is made before the first
// window is mapped, at every size: rendering the SVG at each took longer than decoding these.
#pragma once

#include <QIcon>

namespace fedsync::ui {

QIcon appIcon();

} // namespace fedsync::ui
