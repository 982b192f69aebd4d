#include "widgets/inlinemessage.h"

namespace pecast::ui {

InlineMessage::InlineMessage(QWidget *parent)
    : QLabel(parent)
{
    setWordWrap(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    setTextFormat(Qt::RichText);
}

void InlineMessage::showMessage(Kind kind, const QString &text)
{
    m_kind = kind;
    setProperty("kind", int(kind));
    // The SVGs live in resources/icons; 16 px matches the label's text height.
    static const char *const icons[] = { "info", "ok", "warning", "error" };
    if (text.isEmpty()) {
        clear();
        hide();
        return;
    }
    setText(QStringLiteral("<img src=\":/icons/%1.svg\" width=\"16\" height=\"16\" "
                           "style=\"vertical-align: middle\">&nbsp;%2")
                .arg(QLatin1String(icons[kind]), text.toHtmlEscaped()));
    show();
}

} // namespace pecast::ui
