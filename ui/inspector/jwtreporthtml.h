// A JwtInspection as HTML for the inspector and the JWT view: checks, dates, header and claims.
#pragma once

#include "inspect/jwtinspection.h"

#include <QString>

namespace fedsync::ui {

QString jwtReportHtml(const JwtInspection &inspection);

} // namespace fedsync::ui
