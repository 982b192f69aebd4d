// The German translation is complete and embedded: every message in translations/pecast_de.ts
// has a finished text, and the wizard's pages come up in German when the translator is loaded
// from the :/i18n resource the way app/gui/main.cpp loads it.

#include "pecastwizard.h"
#include "util/init.h"

#include <QAbstractButton>
#include <QFile>
#include <QLocale>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tsFileIsComplete();
    void germanWizard();
};

void TestTranslations::tsFileIsComplete()
{
    QFile ts(
        qEnvironmentVariable("PECAST_SOURCE_DIR") + QStringLiteral("/translations/pecast_de.ts"));
    QVERIFY2(ts.open(QIODevice::ReadOnly), qPrintable(ts.fileName()));
    QXmlStreamReader xml(&ts);
    int messages = 0;
    QStringList unfinished;
    QString source;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == QLatin1String("source")) {
            source = xml.readElementText();
        } else if (xml.name() == QLatin1String("translation")) {
            ++messages;
            const bool notDone = !xml.attributes().value(QLatin1String("type")).isEmpty();
            const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            if (notDone || text.trimmed().isEmpty())
                unfinished.append(source);
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(messages > 100);
    QVERIFY2(unfinished.isEmpty(), qPrintable(unfinished.join(QLatin1Char('\n'))));
}

void TestTranslations::germanWizard()
{
    QTranslator translator;
    QVERIFY(translator.load(QLocale(QLocale::German, QLocale::Germany), QStringLiteral("pecast"),
        QStringLiteral("_"), QStringLiteral(":/i18n")));
    QVERIFY(QCoreApplication::installTranslator(&translator));
    pecast::ui::PecastWizard wizard;
    QCOMPARE(wizard.page(pecast::ui::PecastWizard::SourceId)->title(), QStringLiteral("Quelle"));
    QCOMPARE(wizard.page(pecast::ui::PecastWizard::ServeId)->title(), QStringLiteral("Ausliefern"));
    QCOMPARE(
        wizard.page(pecast::ui::PecastWizard::CustomizeId)->title(), QStringLiteral("Anpassen"));
    QCOMPARE(wizard.page(pecast::ui::PecastWizard::EditImageId)->title(),
        QStringLiteral("Abbild bearbeiten"));
    QCOMPARE(QCoreApplication::translate("pecast::ui::ImagePage", "Bootable"),
        QStringLiteral("Startfähig"));
}

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
