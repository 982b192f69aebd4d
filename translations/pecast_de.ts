<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
    <context>
        <name>main</name>
        <message>
            <source>Turn a WinPE WIM into a network-bootable disk image.</source>
            <translation>Ein WinPE-WIM in ein netzwerkstartfähiges Festplattenabbild verwandeln.</translation>
        </message>
        <message>
            <source>A WIM, an ISO, a WinPE folder or a disk image to open (optional).</source>
            <translation>Eine WIM-Datei, eine ISO-Datei, ein WinPE-Ordner oder ein Disk-Image zum Öffnen (optional).</translation>
        </message>
    </context>
    <context>
        <name>pecast::ui::BootConfigPage</name>
        <message>
            <source>Boot configuration</source>
            <translation>Startkonfiguration</translation>
        </message>
        <message>
            <source>How Windows' boot manager finds the RAM disk: the entries of \boot\BCD.</source>
            <translation>Wie der Windows-Start-Manager die RAM-Disk findet: die Einträge von \boot\BCD.</translation>
        </message>
        <message>
            <source>The name of the boot entry (shown by bootmgr with a menu)</source>
            <translation>Der Name des Starteintrags (von bootmgr in einem Menü angezeigt)</translation>
        </message>
        <message>
            <source>boot (recommended)</source>
            <translation>boot (empfohlen)</translation>
        </message>
        <message>
            <source>partition</source>
            <translation>partition</translation>
        </message>
        <message>
            <source> s</source>
            <translation> s</translation>
        </message>
        <message>
            <source>How long bootmgr shows its menu; with one entry it shows none</source>
            <translation>Wie lange bootmgr sein Menü zeigt; bei nur einem Eintrag zeigt es keines</translation>
        </message>
        <message>
            <source>classic</source>
            <translation>klassisch</translation>
        </message>
        <message>
            <source>media</source>
            <translation>wie Installationsmedium</translation>
        </message>
        <message>
            <source>The store as `pecast bcd dump` prints it</source>
            <translation>Der Speicher so, wie ihn `pecast bcd dump` ausgibt</translation>
        </message>
        <message>
            <source>&amp;Description:</source>
            <translation>&amp;Beschreibung:</translation>
        </message>
        <message>
            <source>De&amp;vice:</source>
            <translation>&amp;Gerät:</translation>
        </message>
        <message>
            <source>&amp;Timeout:</source>
            <translation>Wa&amp;rtezeit:</translation>
        </message>
        <message>
            <source>&amp;Layout:</source>
            <translation>&amp;Aufteilung:</translation>
        </message>
        <message>
            <source>&amp;Preview of \boot\BCD:</source>
            <translation>&amp;Vorschau von \boot\BCD:</translation>
        </message>
        <message>
            <source>The RAM disk is found on whatever disk bootmgr started from: the image still works when copied to a USB stick or another server.</source>
            <translation>Die RAM-Disk wird auf dem Datenträger gesucht, von dem bootmgr gestartet wurde: Das Abbild funktioniert auch nach dem Kopieren auf einen USB-Stick oder einen anderen Server.</translation>
        </message>
        <message>
            <source>The RAM disk is found by this image's disk signature and partition offset, as bcdedit writes it; the image must stay byte for byte as built.</source>
            <translation>Die RAM-Disk wird über die Datenträgersignatur und den Partitionsversatz dieses Abbilds gefunden, wie bcdedit es schreibt; das Abbild muss Byte für Byte unverändert bleiben.</translation>
        </message>
        <message>
            <source>Files: %1, %2, %3, %4</source>
            <translation>Dateien: %1, %2, %3, %4</translation>
        </message>
        <message>
            <source>Enter a description for the entry.</source>
            <translation>Geben Sie eine Beschreibung für den Eintrag ein.</translation>
        </message>
        <message>
            <source>The preview shows a sample disk signature; the build writes the real one.</source>
            <translation>Die Vorschau zeigt eine Beispielsignatur; beim Erstellen wird die echte geschrieben.</translation>
        </message>
    </context>
    <context>
        <name>pecast::ui::BootFileChooser</name>
        <message>
            <source>&amp;Other file:</source>
            <translation>&amp;Andere Datei:</translation>
        </message>
        <message>
            <source>Bro&amp;wse…</source>
            <translation>&amp;Durchsuchen …</translation>
        </message>
        <message>
            <source>Pick the file, or drop it onto this page</source>
            <translation>Datei auswählen oder auf diese Seite ziehen</translation>
        </message>
        <message>
            <source>The image has no %1; choose a file.</source>
            <translation>Das Abbild enthält kein %1; wählen Sie eine Datei.</translation>
        </message>
        <message>
            <source>Choose the %1 file.</source>
            <translation>Wählen Sie die Datei %1.</translation>
        </message>
        <message>
            <source>%1 does not exist.</source>
            <translation>%1 existiert nicht.</translation>
        </message>
        <message>
            <source>%1 cannot be read.</source>
            <translation>%1 kann nicht gelesen werden.</translation>
        </message>
        <message>
            <source>%1 is empty.</source>
            <translation>%1 ist leer.</translation>
        </message>
        <message>
            <source>From the &amp;image: %1 (%2)</source>
            <translation>Aus dem Abb&amp;ild: %1 (%2)</translation>
        </message>
        <message>
            <source>From the &amp;image: not found</source>
            <translation>Aus dem Abb&amp;ild: nicht gefunden</translation>
        </message>
        <message>
            <source>Size: %1 (%2 bytes)</source>
            <translation>Größe: %1 (%2 Bytes)</translation>
        </message>
    </context>
    <context>
        <name>pecast::ui::BootFilesPage</name>
        <message>
            <source>Boot files</source>
            <translation>Startdateien</translation>
        </message>
        <message>
            <source>bootmgr starts Windows' boot manager; boot.sdi is the template of the RAM disk. Both normally come from the image itself.</source>
            <translation>bootmgr startet den Windows-Start-Manager; boot.sdi ist die Vorlage der RAM-Disk. Beide stammen normalerweise aus dem Abbild selbst.</translation>
        </message>
        <message>
            <source>Boot manager (bootmgr*);;All files (*)</source>
            <translation>Start-Manager (bootmgr*);;Alle Dateien (*)</translation>
        </message>
        <message>
            <source>The BIOS boot manager that GRUB's ntldr loads below 640 KiB</source>
            <translation>Der BIOS-Start-Manager, den GRUBs ntldr unterhalb von 640 KiB lädt</translation>
        </message>
        <message>
            <source>System Deployment Image (*.sdi);;All files (*)</source>
            <translation>System Deployment Image (*.sdi);;Alle Dateien (*)</translation>
        </message>
        <message>
            <source>The RAM disk template that bootmgr loads the WIM into</source>
            <translation>Die RAM-Disk-Vorlage, in die bootmgr das WIM lädt</translation>
        </message>
        <message>
            <source>Tip: drop a bootmgr or .sdi file onto this page to use it.</source>
            <translation>Tipp: Ziehen Sie eine bootmgr- oder .sdi-Datei auf diese Seite, um sie zu verwenden.</translation>
        </message>
        <message>
            <source>bootmgr is %1, but memdisk leaves room for about %2 below 640 KiB: it may hang while loading. Use a smaller bootmgr (e.g. from a WinPE 5 or 10 ADK).</source>
            <translation>bootmgr ist %1 groß, aber memdisk lässt unterhalb von 640 KiB nur etwa %2 frei: Der Start kann hängen bleiben. Verwenden Sie einen kleineren bootmgr (z. B. aus einem WinPE-5- oder -10-ADK).</translation>
        </message>
        <message>
            <source>bootmgr fits below memdisk's limit (%1 of %2).</source>
            <translation>bootmgr passt unter die Grenze von memdisk (%1 von %2).</translation>
        </message>
    </context>
    <context>
        <name>pecast::ui::BuildPage</name>
        <message>
            <source>%1 min %2 s</source>
            <translation>%1 min %2 s</translation>
        </message>
        <message>
            <source>Build</source>
            <translation>Erstellen</translation>
        </message>
        <message>
            <source>Writing the disk image. The output appears only when every step succeeded.</source>
            <translation>Das Festplattenabbild wird geschrieben. Die Ausgabedatei erscheint erst, wenn jeder Schritt gelungen ist.</translation>
        </message>
        <message>
            <source>&amp;Serve</source>
            <translation>&amp;Ausliefern</translation>
        </message>
        <message>
            <source>Overall: %p%</source>
            <translation>Gesamt: %p %</translation>
        </message>
        <message>
            <source>Overall progress</source>
            <translation>Gesamtfortschritt</translation>
        </message>
        <message>
            <source>Step progress</source>
            <translation>Fortschritt des Schritts</translation>
        </message>
        <message>
            <source>Build log</source>
            <translation>Protokoll</translation>
        </message>
        <message>
            <source>C&amp;opy log</source>
            <translation>Protokoll &amp;kopieren</translation>
        </message>
        <message>
            <source>Copy the whole log to the clipboard</source>
            <translation>Das ganze Protokoll in die Zwischenablage kopieren</translation>
        </message>
        <message>
            <source>&amp;Cancel build</source>
            <translation>Erstellen a&amp;bbrechen</translation>
        </message>
        <message>
            <source>Stop now; nothing is left behind</source>
            <translation>Jetzt anhalten; es bleibt nichts zurück</translation>
        </message>
        <message>
            <source>Build &amp;again</source>
            <translation>&amp;Erneut erstellen</translation>
        </message>
        <message>
            <source>&amp;Rebuild with it</source>
            <translation>Damit &amp;neu erstellen</translation>
        </message>
        <message>
            <source>Starting…</source>
            <translation>Wird gestartet …</translation>
        </message>
        <message>
            <source>Building %1 from image %2 of %3</source>
            <translation>Erstelle %1 aus Abbild %2 von %3</translation>
        </message>
        <message>
            <source>a build is already running</source>
            <translation>es läuft bereits ein Erstellvorgang</translation>
        </message>
        <message>
            <source>Cancelling…</source>
            <translation>Wird abgebrochen …</translation>
        </message>
        <message>
            <source>New source: %1</source>
            <translation>Neue Quelle: %1</translation>
        </message>
        <message>
            <source>Step %1 of %2: %3</source>
            <translation>Schritt %1 von %2: %3</translation>
        </message>
        <message>
            <source>%1 of %2</source>
            <translation>%1 von %2</translation>
        </message>
        <message>
            <source> — %1/s, about %2 left</source>
            <translation> – %1/s, noch etwa %2</translation>
        </message>
        <message>
            <source>Done in %1.</source>
            <translation>Fertig in %1.</translation>
        </message>
        <message>
            <source>Finished: %1</source>
            <translation>Fertig: %1</translation>
        </message>
        <message>
            <source>Image</source>
            <translation>Abbild</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>Größe</translation>
        </message>
        <message>
            <source>%1 (%2 bytes)</source>
            <translation>%1 (%2 Bytes)</translation>
        </message>
        <message>
            <source>SHA-256</source>
            <translation>SHA-256</translation>
        </message>
        <message>
            <source>Disk signature</source>
            <translation>Datenträgersignatur</translation>
        </message>
        <message>
            <source>Checking the image…</source>
            <translation>Das Abbild wird geprüft …</translation>
        </message>
        <message>
            <source>Built. A gzip image is inspected after memdisk inflates it, on the client.</source>
            <translation>Erstellt. Ein gzip-Abbild wird erst geprüft, nachdem memdisk es auf dem Client entpackt hat.</translation>
        </message>
        <message>
            <source>Inspection failed: %1</source>
            <translation>Prüfung fehlgeschlagen: %1</translation>
        </message>
        <message>
            <source>Inspection found problems: %1</source>
            <translation>Die Prüfung hat Probleme gefunden: %1</translation>
        </message>
        <message>
            <source>Inspection: %1</source>
            <translation>Prüfung: %1</translation>
        </message>
        <message>
            <source>consistent</source>
            <translation>stimmig</translation>
        </message>
        <message>
            <source>problems</source>
            <translation>Probleme</translation>
        </message>
        <message>
            <source>Cancelled. Nothing was written.</source>
            <translation>Abgebrochen. Es wurde nichts geschrieben.</translation>
        </message>
        <message>
            <source>Cancelled by the user.</source>
            <translation>Vom Benutzer abgebrochen.</translation>
        </message>
        <message>
            <source>The build was cancelled; no output or temporary file remains.</source>
            <translation>Das Erstellen wurde abgebrochen; weder Ausgabe- noch temporäre Dateien bleiben zurück.</translation>
        </message>
        <message>
            <source>The build failed.</source>
            <translation>Das Erstellen ist fehlgeschlagen.</translation>
        </message>
        <message>
            <source>error: %1</source>
            <translation>Fehler: %1</translation>
        </message>
        <message>
            <source>%1 s</source>
            <translation>%1 s</translation>
        </message>
        <message>
            <source>Inspection: consistent (checks passed: %1).</source>
            <translation>Prüfung: stimmig (bestandene Tests: %1).</translation>
        </message>
    </context>
    <context>
        <name>pecast::ui::CustomizePage</name>
        <message>
            <source>Customize</source>
            <translation>Anpassen</translation>
        </message>
        <message>
            <source>Optional: add your tools, delete files, edit startnet.cmd or winpeshl.ini. The source stays untouched; the build uses a customized copy.</source>
            <translation>Optional: eigene Werkzeuge hinzufügen, Dateien löschen, startnet.cmd oder winpeshl.ini bearbeiten. Die Quelle bleibt unverändert; erstellt wird aus einer angepassten Kopie.</translation>
        </message>
        <message>
            <source>Change</source>
            <translation>Änderung</translation>
        </message>
        <message>
            <source>Path in the image</source>
            <translation>Pfad im Abbild</translation>
        </message>
        <message>
            <source>From</source>
            <translation>Von</translation>
        </message>
        <message>
            <source>Changes</source>
            <translation>Änderungen</translation>
        </message>
        <message>
            <source>The changes, applied in this order; drop files or folders here</source>
            <translation>Die Änderungen, in dieser Reihenfolge angewandt; Dateien oder Ordner hierher ziehen</translation>
        </message>
        <message>
            <source>Added files and folders go into this folder of the image, e.g. \Tools</source>
            <translation>Hinzugefügte Dateien und Ordner kommen in diesen Ordner des Abbilds, z. B. \Tools</translation>
        </message>
        <message>
            <source>Keep the source's compression</source>
            <translation>Kompression der Quelle beibehalten</translation>
        </message>
        <message>
            <source>LZX (bootable default)</source>
            <translation>LZX (startfähiger Standard)</translation>
        </message>
        <message>
            <source>XPRESS (faster, larger)</source>
            <translation>XPRESS (schneller, größer)</translation>
        </message>
        <message>
            <source>None</source>
            <translation>Keine</translation>
        </message>
        <message>
            <source>Compression of the customized WIM</source>
            <translation>Kompression des angepassten WIM</translation>
        </message>
        <message>
            <source>Add &amp;files…</source>
            <translation>&amp;Dateien hinzufügen …</translation>
        </message>
        <message>
            <source>Add f&amp;older…</source>
            <translation>&amp;Ordner hinzufügen …</translation>
        </message>
        <message>
            <source>&amp;Delete path…</source>
            <translation>Pfad &amp;löschen …</translation>
        </message>
        <message>
            <source>Delete a file or folder of the image, e.g. \Windows\System32\x.exe</source>
            <translation>Eine Datei oder einen Ordner des Abbilds löschen, z. B. \Windows\System32\x.exe</translation>
        </message>
        <message>
            <source>Edit &amp;startnet.cmd…</source>
            <translation>&amp;startnet.cmd bearbeiten …</translation>
        </message>
        <message>
            <source>Edit &amp;winpeshl.ini…</source>
            <translation>&amp;winpeshl.ini bearbeiten …</translation>
        </message>
        <message>
            <source>&amp;Remove change</source>
            <translation>Änderung &amp;entfernen</translation>
        </message>
        <message>
            <source>&amp;Cancel</source>
            <translation>&amp;Abbrechen</translation>
        </message>
        <message>
            <source>Destination &amp;folder in the image:</source>
            <translation>&amp;Zielordner im Abbild:</translation>
        </message>
        <message>
            <source>Co&amp;mpression:</source>
            <translation>Ko&amp;mpression:</translation>
        </message>
        <message>
            <source>Add files to the image</source>
            <translation>Dateien zum Abbild hinzufügen</translation>
        </message>
        <message>
            <source>Add a folder to the image</source>
            <translation>Einen Ordner zum Abbild hinzufügen</translation>
        </message>
        <message>
            <source>Delete path</source>
            <translation>Pfad löschen</translation>
        </message>
        <message>
            <source>File or folder to delete from the image:</source>
            <translation>Zu löschende Datei oder zu löschender Ordner im Abbild:</translation>
        </message>
        <message>
            <source>Cannot create a temporary folder in %1: %2</source>
            <translation>In %1 kann kein temporärer Ordner angelegt werden: %2</translation>
        </message>
        <message>
            <source>Customizing…</source>
            <translation>Wird angepasst …</translation>
        </message>
        <message>
            <source>Writing the customized copy of image %1…</source>
            <translation>Angepasste Kopie von Abbild %1 wird geschrieben …</translation>
        </message>
        <message>
            <source>Cancelled. The source is unchanged; nothing was left behind.</source>
            <translation>Abgebrochen. Die Quelle ist unverändert; nichts ist zurückgeblieben.</translation>
        </message>
        <message>
            <source>Customized copy written (%1).</source>
            <translation>Angepasste Kopie geschrieben (%1).</translation>
        </message>
        <message>
            <source>Add folder</source>
            <translation>Ordner hinzufügen</translation>
        </message>
        <message>
            <source>Add file</source>
            <translation>Datei hinzufügen</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Löschen</translation>
        </message>
        <message>
            <source>Rename to %1</source>
            <translation>Umbenennen in %1</translation>
        </message>
        <message>
            <source>Write text</source>
            <translation>Text schreiben</translation>
        </message>
        <message>
            <source>No changes: the build uses the source WIM as it is. Drop files or folders here to add them.</source>
            <translation>Keine Änderungen: Erstellt wird aus dem unveränderten Quell-WIM. Dateien oder Ordner hierher ziehen, um sie hinzuzufügen.</translation>
        </message>
        <message>
            <source>text, lines: %1</source>
            <translation>Text, Zeilen: %1</translation>
        </message>
        <message>
            <source>Changes: %1. Next writes a customized copy of the chosen image; the source stays untouched.</source>
            <translation>Änderungen: %1. „Weiter“ schreibt eine angepasste Kopie des gewählten Abbilds; die Quelle bleibt unverändert.</translation>
        </message>
    </context>
    <context>
        <name>pecast::ui::DropZone</name>
        <message>
            <source>Drop zone</source>
            <translation>Ablagefläche</translation>
        </message>
        <message>
            <source>Drop a file here, or click (or press Space) to choose one</source>
            <translation>Ziehen Sie eine Datei hierher oder klicken Sie (oder drücken Sie die Leertaste), um eine auszuwählen</translation>
        </message>
    </context>
    <context>
        <name>pecast::ui::EditImagePage</name>
        <message>
            <source>Edit image</source>
            <translation>Abbild bearbeiten</translation>
        </message>
        <message>
            <source>Put a new WIM into an existing image: the boot code, the disk signature and every other file keep their bytes.</source>
            <translation>Ein neues WIM in ein vorhandenes Abbild einsetzen: Startcode, Datenträgersignatur und alle anderen Dateien behalten ihre Bytes.</translation>
        </message>
        <message>
            <source>&amp;Serve this image</source>
            <translation>Dieses Abbild &amp;ausliefern</translation>
        </message>
        <message>
            <source>What the image boots</source>
            <translation>Was das Abbild startet</translation>
        </message>
        <message>
            <source>Drop the new .wim here or click to browse</source>
            <translation>Die neue .wim hierher ziehen oder zum Durchsuchen klicken</translation>
        </message>
        <message>
            <source>/path/to/new/boot.wim</source>
            <translation>/pfad/zur/neuen/boot.wim</translation>
        </message>
        <message>
            <source>Save as a &amp;new file:</source>
            <translation>Als &amp;neue Datei speichern:</translation>
        </message>
        <message>
            <source>Bro&amp;wse…</source>
            <translation>&amp;Durchsuchen …</translation>
        </message>
        <message>
            <source>Replace the &amp;original (an edited copy is renamed over it when complete)</source>
            <translation>&amp;Original ersetzen (eine bearbeitete Kopie ersetzt es, wenn sie fertig ist)</translation>
        </message>
        <message>
            <source>Advanced: edit &amp;in place (fastest; a failure or a crash can leave the image damaged)</source>
            <translation>Erweitert: &amp;direkt bearbeiten (am schnellsten; ein Fehler oder Absturz kann das Abbild beschädigen)</translation>
        </message>
        <message>
            <source>Use &amp;libguestfs (resizes inside a small VM; slower, 15–40 s to start)</source>
            <translation>&amp;libguestfs verwenden (vergrößert in einer kleinen VM; langsamer, 15–40 s Start)</translation>
        </message>
        <message>
            <source>&amp;Replace WIM</source>
            <translation>WIM &amp;ersetzen</translation>
        </message>
        <message>
            <source>&amp;Cancel</source>
            <translation>&amp;Abbrechen</translation>
        </message>
        <message>
            <source>&amp;Choose…</source>
            <translation>&amp;Auswählen …</translation>
        </message>
        <message>
            <source>New WIM:</source>
            <translation>Neues WIM:</translation>
        </message>
        <message>
            <source>Reading %1…</source>
            <translation>%1 wird gelesen …</translation>
        </message>
        <message>
            <source>Starting libguestfs to read the virtual disk (15–40 s without KVM)…</source>
            <translation>libguestfs wird gestartet, um den virtuellen Datenträger zu lesen (15–40 s ohne KVM) …</translation>
        </message>
        <message>
            <source>Could not read %1.</source>
            <translation>%1 konnte nicht gelesen werden.</translation>
        </message>
        <message>
            <source>Image</source>
            <translation>Abbild</translation>
        </message>
        <message>
            <source>%1, %2</source>
            <translation>%1, %2</translation>
        </message>
        <message>
            <source>Boot partition</source>
            <translation>Startpartition</translation>
        </message>
        <message>
            <source>partition %1 at %2, NTFS %3 (%4 free)</source>
            <translation>Partition %1 bei %2, NTFS %3 (%4 frei)</translation>
        </message>
        <message>
            <source>none found</source>
            <translation>keine gefunden</translation>
        </message>
        <message>
            <source>BCD boots</source>
            <translation>BCD startet</translation>
        </message>
        <message>
            <source>%1 (%2)</source>
            <translation>%1 (%2)</translation>
        </message>
        <message>
            <source>%1 (missing)</source>
            <translation>%1 (fehlt)</translation>
        </message>
        <message>
            <source>RAM disk template</source>
            <translation>RAM-Disk-Vorlage</translation>
        </message>
        <message>
            <source>no RAM disk WIM</source>
            <translation>kein RAM-Disk-WIM</translation>
        </message>
        <message>
            <source>no readable BCD</source>
            <translation>kein lesbarer BCD</translation>
        </message>
        <message>
            <source>Checks</source>
            <translation>Prüfungen</translation>
        </message>
        <message>
            <source>consistent</source>
            <translation>stimmig</translation>
        </message>
        <message>
            <source>problems found (see pecast image inspect)</source>
            <translation>Probleme gefunden (siehe pecast image inspect)</translation>
        </message>
        <message>
            <source>%1 (partition %2, %3)</source>
            <translation>%1 (Partition %2, %3)</translation>
        </message>
        <message>
            <source>Replacing the WIM works on raw images: convert this one with qemu-img convert -O raw, then open the .img.</source>
            <translation>Das WIM lässt sich nur in Rohabbildern ersetzen: Dieses mit qemu-img convert -O raw umwandeln und dann die .img öffnen.</translation>
        </message>
        <message>
            <source>This image's BCD boots no RAM disk WIM; there is nothing to replace.</source>
            <translation>Der BCD dieses Abbilds startet kein RAM-Disk-WIM; es gibt nichts zu ersetzen.</translation>
        </message>
        <message>
            <source>Reading the image…</source>
            <translation>Abbild wird gelesen …</translation>
        </message>
        <message>
            <source>Replacing the WIM needs a raw image.</source>
            <translation>Zum Ersetzen des WIM ist ein Rohabbild nötig.</translation>
        </message>
        <message>
            <source>This image's BCD boots no RAM disk WIM.</source>
            <translation>Der BCD dieses Abbilds startet kein RAM-Disk-WIM.</translation>
        </message>
        <message>
            <source>Drop or choose the new WIM.</source>
            <translation>Das neue WIM hierher ziehen oder auswählen.</translation>
        </message>
        <message>
            <source>%1 does not exist.</source>
            <translation>%1 existiert nicht.</translation>
        </message>
        <message>
            <source>%1 is not a WIM or ESD file.</source>
            <translation>%1 ist keine WIM- oder ESD-Datei.</translation>
        </message>
        <message>
            <source>Enter a name for the new image.</source>
            <translation>Geben Sie einen Namen für das neue Abbild ein.</translation>
        </message>
        <message>
            <source>To write over the original, choose “Replace the original”.</source>
            <translation>Um das Original zu überschreiben, wählen Sie „Original ersetzen“.</translation>
        </message>
        <message>
            <source>%1 exists; choose another name.</source>
            <translation>%1 existiert; wählen Sie einen anderen Namen.</translation>
        </message>
        <message>
            <source>The folder %1 does not exist.</source>
            <translation>Der Ordner %1 existiert nicht.</translation>
        </message>
        <message>
            <source>%1 is read-only; save as a new file instead.</source>
            <translation>%1 ist schreibgeschützt; speichern Sie stattdessen als neue Datei.</translation>
        </message>
        <message>
            <source>In place: the original is written directly when the new WIM fits; if the edit fails or is cancelled, the image may be damaged.</source>
            <translation>Direkt: Das Original wird unmittelbar beschrieben, wenn das neue WIM passt; schlägt die Bearbeitung fehl oder wird sie abgebrochen, kann das Abbild beschädigt sein.</translation>
        </message>
        <message>
            <source>Ready: Replace WIM writes %1.</source>
            <translation>Bereit: „WIM ersetzen“ schreibt %1.</translation>
        </message>
        <message>
            <source>Starting…</source>
            <translation>Wird gestartet …</translation>
        </message>
        <message>
            <source>Replacing %1 with %2…</source>
            <translation>%1 wird durch %2 ersetzt …</translation>
        </message>
        <message>
            <source>Cancelling…</source>
            <translation>Wird abgebrochen …</translation>
        </message>
        <message>
            <source>Cancelled.</source>
            <translation>Abgebrochen.</translation>
        </message>
        <message>
            <source>Cancelled. The original image is unchanged; nothing was left behind.</source>
            <translation>Abgebrochen. Das Originalabbild ist unverändert; nichts ist zurückgeblieben.</translation>
        </message>
        <message>
            <source>Written</source>
            <translation>Geschrieben</translation>
        </message>
        <message>
            <source>WIM</source>
            <translation>WIM</translation>
        </message>
        <message>
            <source>%1: %2 → %3</source>
            <translation>%1: %2 → %3</translation>
        </message>
        <message>
            <source>Image grown</source>
            <translation>Abbild vergrößert</translation>
        </message>
        <message>
            <source>yes, %1 → %2</source>
            <translation>ja, %1 → %2</translation>
        </message>
        <message>
            <source>no (the WIM fits)</source>
            <translation>nein (das WIM passt)</translation>
        </message>
        <message>
            <source>BCD updated</source>
            <translation>BCD aktualisiert</translation>
        </message>
        <message>
            <source>yes</source>
            <translation>ja</translation>
        </message>
        <message>
            <source>no (same path)</source>
            <translation>nein (gleicher Pfad)</translation>
        </message>
        <message>
            <source>Done. Next serves %1.</source>
            <translation>Fertig. „Weiter“ liefert %1 aus.</translation>
        </message>
        <message>
            <source>Choose the new WIM</source>
            <translation>Das neue WIM auswählen</translation>
        </message>
        <message>
            <source>Windows images (*.wim *.esd);;All files (*)</source>
            <translation>Windows-Abbilder (*.wim *.esd);;Alle Dateien (*)</translation>
        </message>
        <message>
            <source>Save the edited image as</source>
            <translation>Bearbeitetes Abbild speichern unter</translation>
        </message>
        <message>
            <source>Disk images (*.img);;All files (*)</source>
            <translation>Datenträgerabbilder (*.img);;Alle Dateien (*)</translation>
        </message>
    </context>
    <context>
        <name>pecast::ui::ImagePage</name>
        <message>
            <source>Image</source>
            <translation>Abbild</translation>
        </message>
        <message>
            <source>Choose the image inside the WIM that the clients will boot.</source>
            <translation>Wählen Sie das Abbild im WIM, das die Clients starten sollen.</translation>
        </message>
        <message>
            <source>Index</source>
            <translation>Index</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>Arch</source>
            <translation>Arch.</translation>
        </message>
        <message>
            <source>Build</source>
            <translation>Erstellen</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>Größe</translation>
        </message>
        <message>
            <source>Bootable</source>
            <translation>Startfähig</translation>
        </message>
        <message>
            <source>Images in the WIM; hover over ✗ to see why one cannot boot</source>
            <translation>Abbilder im WIM; zeigen Sie auf ✗, um zu sehen, warum eines nicht starten kann</translation>
        </message>
        <message>
            <source>Images</source>
            <translation>Abbilder</translation>
        </message>
        <message>
            <source>Image details</source>
            <translation>Details zum Abbild</translation>
        </message>
        <message>
            <source>Reading %1…</source>
            <translation>%1 wird gelesen …</translation>
        </message>
        <message>
            <source>Could not read %1.</source>
            <translation>%1 konnte nicht gelesen werden.</translation>
        </message>
        <message>
            <source> (solid)</source>
            <translation> (solid)</translation>
        </message>
        <message>
            <source>unknown</source>
            <translation>unbekannt</translation>
        </message>
        <message>
            <source>✓ yes</source>
            <translation>✓ ja</translation>
        </message>
        <message>
            <source>✗ no</source>
            <translation>✗ nein</translation>
        </message>
        <message>
            <source>This image can boot from a RAM disk</source>
            <translation>Dieses Abbild kann von einer RAM-Disk starten</translation>
        </message>
        <message>
            <source>Image %1 will be booted.</source>
            <translation>Abbild %1 wird gestartet.</translation>
        </message>
        <message>
            <source>Image %1 cannot boot from a RAM disk; see the details above.</source>
            <translation>Abbild %1 kann nicht von einer RAM-Disk starten; siehe Details oben.</translation>
        </message>
        <message>
            <source>Select an image.</source>
            <translation>Wählen Sie ein Abbild.</translation>
        </message>
        <message>
            <source>Edition</source>
            <translation>Edition</translation>
        </message>
        <message>
            <source>Version</source>
            <translation>Version</translation>
        </message>
        <message>
            <source>Architecture</source>
            <translation>Architektur</translation>
        </message>
        <message>
            <source>Files</source>
            <translation>Dateien</translation>
        </message>
        <message>
            <source>%1 files in %2 folders</source>
            <translation>%1 Dateien in %2 Ordnern</translation>
        </message>
        <message>
            <source>bootmgr</source>
            <translation>bootmgr</translation>
        </message>
        <message>
            <source>missing</source>
            <translation>fehlt</translation>
        </message>
        <message>
            <source>boot.sdi</source>
            <translation>boot.sdi</translation>
        </message>
        <message>
            <source>winload.exe</source>
            <translation>winload.exe</translation>
        </message>
        <message>
            <source>present</source>
            <translation>vorhanden</translation>
        </message>
        <message>
            <source>Why it cannot boot:</source>
            <translation>Warum es nicht starten kann:</translation>
        </message>
        <message>
            <source>What to do: this WIM uses %1 compression, which bootmgr cannot read. Recompress it, e.g. &lt;code&gt;wimlib-imagex export in.wim %2 out.wim --compress=LZX --chunk-size=32K&lt;/code&gt;, then drop out.wim here.</source>
            <translation>Abhilfe: Dieses WIM verwendet die Kompression %1, die bootmgr nicht lesen kann. Komprimieren Sie es neu, z. B. mit &lt;code&gt;wimlib-imagex export in.wim %2 out.wim --compress=LZX --chunk-size=32K&lt;/code&gt;, und ziehen Sie dann out.wim hierher.</translation>
        </message>
        <message>
            <source>What to do: choose a WinPE image (boot.wim from Windows media or the ADK), or supply bootmgr and boot.sdi on the next page.</source>
            <translation>Abhilfe: Wählen Sie ein WinPE-Abbild (boot.wim von einem Windows-Medium oder aus dem ADK) oder geben Sie bootmgr und boot.sdi auf der nächsten Seite an.</translation>
        </message>
        <message>
            <source>%1 — images: %2, compression: %3, size: %4</source>
            <translation>%1 – Abbilder: %2, Kompression: %3, Größe: %4</translation>
        </message>
        <message>
            <source>Re&amp;compress to LZX while building (bootmgr cannot read this compression; takes longer)</source>
            <translation>Beim Erstellen nach LZX &amp;umkomprimieren (bootmgr kann diese Kompression nicht lesen; dauert länger)</translation>
        </message>
    </context>
    <context>
        <name>pecast::ui::OutputPage</name>
        <message>
            <source>Output</source>
            <translation>Ausgabe</translation>
        </message>
        <message>
            <source>Where to write the disk image, and how large to make it.</source>
            <translation>Wohin das Festplattenabbild geschrieben wird und wie groß es wird.</translation>
        </message>
        <message>
            <source>The disk image to create; it appears only when the build succeeds</source>
            <translation>Das zu erstellende Festplattenabbild; es erscheint erst, wenn das Erstellen gelingt</translation>
        </message>
        <message>
            <source>Bro&amp;wse…</source>
            <translation>&amp;Durchsuchen …</translation>
        </message>
        <message>
            <source>&amp;Automatic</source>
            <translation>A&amp;utomatisch</translation>
        </message>
        <message>
            <source>&amp;Manual:</source>
            <translation>&amp;Manuell:</translation>
        </message>
        <message>
            <source> MiB</source>
            <translation> MiB</translation>
        </message>
        <message>
            <source>Compress with &amp;gzip (memdisk inflates it on the client)</source>
            <translation>Mit &amp;gzip komprimieren (memdisk entpackt es auf dem Client)</translation>
        </message>
        <message>
            <source>Saves network time only when the image has empty space; the client needs room for both copies while inflating</source>
            <translation>Spart nur dann Übertragungszeit, wenn das Abbild freien Platz enthält; der Client braucht beim Entpacken Platz für beide Kopien</translation>
        </message>
        <message>
            <source>&amp;Replace the file if it exists</source>
            <translation>Vorhandene Datei e&amp;rsetzen</translation>
        </message>
        <message>
            <source>&amp;Image file:</source>
            <translation>&amp;Abbilddatei:</translation>
        </message>
        <message>
            <source>Size:</source>
            <translation>Größe:</translation>
        </message>
        <message>
            <source>Client RAM:</source>
            <translation>RAM des Clients:</translation>
        </message>
        <message>
            <source>Save the disk image as</source>
            <translation>Festplattenabbild speichern unter</translation>
        </message>
        <message>
            <source>Disk images (*.img *.img.gz);;All files (*)</source>
            <translation>Festplattenabbilder (*.img *.img.gz);;Alle Dateien (*)</translation>
        </message>
        <message>
            <source>Choose where to write the image.</source>
            <translation>Wählen Sie, wohin das Abbild geschrieben wird.</translation>
        </message>
        <message>
            <source>The folder %1 does not exist.</source>
            <translation>Der Ordner %1 existiert nicht.</translation>
        </message>
        <message>
            <source>The folder %1 is not writable.</source>
            <translation>In den Ordner %1 kann nicht geschrieben werden.</translation>
        </message>
        <message>
            <source>%1 is a folder; enter a file name.</source>
            <translation>%1 ist ein Ordner; geben Sie einen Dateinamen ein.</translation>
        </message>
        <message>
            <source>The output cannot replace the source WIM.</source>
            <translation>Die Ausgabe darf das Quell-WIM nicht ersetzen.</translation>
        </message>
        <message>
            <source>%1 exists. Tick “Replace the file if it exists” or choose another name.</source>
            <translation>%1 existiert bereits. Kreuzen Sie „Vorhandene Datei ersetzen“ an oder wählen Sie einen anderen Namen.</translation>
        </message>
        <message>
            <source>%1 MiB is too small for these files; use at least %2 MiB or Automatic.</source>
            <translation>%1 MiB ist zu klein für diese Dateien; verwenden Sie mindestens %2 MiB oder „Automatisch“.</translation>
        </message>
        <message>
            <source>about %1</source>
            <translation>etwa %1</translation>
        </message>
        <message>
            <source>(computed during the build)</source>
            <translation>(wird beim Erstellen berechnet)</translation>
        </message>
        <message>
            <source>at least %1 (image in memdisk + WIM in the RAM disk + WinPE)</source>
            <translation>mindestens %1 (Abbild in memdisk + WIM in der RAM-Disk + WinPE)</translation>
        </message>
        <message>
            <source>memdisk cannot use memory above 4 GiB: this image may not boot.</source>
            <translation>memdisk kann keinen Speicher oberhalb von 4 GiB nutzen: Dieses Abbild startet möglicherweise nicht.</translation>
        </message>
        <message>
            <source>The existing file is replaced only when the build succeeds.</source>
            <translation>Die vorhandene Datei wird erst ersetzt, wenn das Erstellen gelingt.</translation>
        </message>
        <message>
            <source>Ready to build.</source>
            <translation>Bereit zum Erstellen.</translation>
        </message>
        <message>
            <source>B&amp;uild</source>
            <translation>&amp;Erstellen</translation>
        </message>
    </context>
    <context>
        <name>pecast::ui::PecastWizard</name>
        <message>
            <source>PEcast</source>
            <translation>PEcast</translation>
        </message>
        <message>
            <source>A build is running. Cancel it and quit? Nothing is left behind.</source>
            <translation>Ein Erstellvorgang läuft. Abbrechen und beenden? Es bleibt nichts zurück.</translation>
        </message>
        <message>
            <source>PEcast is serving the image. Stop the server and quit?</source>
            <translation>PEcast liefert das Abbild aus. Server anhalten und beenden?</translation>
        </message>
        <message>
            <source>Quit PEcast?</source>
            <translation>PEcast beenden?</translation>
        </message>
        <message>
            <source>PEcast is writing an image. Cancel it and quit?</source>
            <translation>PEcast schreibt ein Abbild. Abbrechen und beenden?</translation>
        </message>
    </context>
    <context>
        <name>pecast::ui::ServePage</name>
        <message>
            <source>&amp;Copy</source>
            <translation>&amp;Kopieren</translation>
        </message>
        <message>
            <source>starting</source>
            <translation>beginnt</translation>
        </message>
        <message>
            <source>sending</source>
            <translation>sendet</translation>
        </message>
        <message>
            <source>done</source>
            <translation>fertig</translation>
        </message>
        <message>
            <source>aborted</source>
            <translation>abgebrochen</translation>
        </message>
        <message>
            <source>Serve</source>
            <translation>Ausliefern</translation>
        </message>
        <message>
            <source>Serve the image over HTTP to iPXE clients on this network.</source>
            <translation>Das Abbild per HTTP an iPXE-Clients in diesem Netz ausliefern.</translation>
        </message>
        <message>
            <source>&amp;Start serving</source>
            <translation>Auslieferung &amp;starten</translation>
        </message>
        <message>
            <source>any free port</source>
            <translation>beliebiger freier Port</translation>
        </message>
        <message>
            <source>HTTP port; ports below 1024 need root</source>
            <translation>HTTP-Port; Ports unter 1024 erfordern root</translation>
        </message>
        <message>
            <source>memdisk</source>
            <translation>memdisk</translation>
        </message>
        <message>
            <source>sanboot</source>
            <translation>sanboot</translation>
        </message>
        <message>
            <source>Options for memdisk: raw (tested), bigraw, harddisk, safeint…</source>
            <translation>Optionen für memdisk: raw (getestet), bigraw, harddisk, safeint …</translation>
        </message>
        <message>
            <source>&amp;Port:</source>
            <translation>&amp;Port:</translation>
        </message>
        <message>
            <source>M&amp;ode:</source>
            <translation>M&amp;odus:</translation>
        </message>
        <message>
            <source>memdisk &amp;args:</source>
            <translation>memdisk-A&amp;rgumente:</translation>
        </message>
        <message>
            <source>The script's URL on each interface; double-click to copy</source>
            <translation>Die URL des Skripts auf jeder Schnittstelle; Doppelklick kopiert sie</translation>
        </message>
        <message>
            <source>Address</source>
            <translation>Adresse</translation>
        </message>
        <message>
            <source>File</source>
            <translation>Datei</translation>
        </message>
        <message>
            <source>Progress</source>
            <translation>Fortschritt</translation>
        </message>
        <message>
            <source>Rate</source>
            <translation>Rate</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Zustand</translation>
        </message>
        <message>
            <source>Clients</source>
            <translation>Clients</translation>
        </message>
        <message>
            <source>C&amp;lients</source>
            <translation>C&amp;lients</translation>
        </message>
        <message>
            <source>Copy the script</source>
            <translation>Das Skript kopieren</translation>
        </message>
        <message>
            <source>&amp;iPXE script</source>
            <translation>&amp;iPXE-Skript</translation>
        </message>
        <message>
            <source>Copy the dnsmasq lines</source>
            <translation>Die dnsmasq-Zeilen kopieren</translation>
        </message>
        <message>
            <source>&amp;dnsmasq</source>
            <translation>&amp;dnsmasq</translation>
        </message>
        <message>
            <source>Copy the dhcpd.conf lines</source>
            <translation>Die dhcpd.conf-Zeilen kopieren</translation>
        </message>
        <message>
            <source>ISC d&amp;hcpd</source>
            <translation>ISC d&amp;hcpd</translation>
        </message>
        <message>
            <source>Build the image first.</source>
            <translation>Erstellen Sie zuerst das Abbild.</translation>
        </message>
        <message>
            <source>&amp;Stop serving</source>
            <translation>Auslieferung &amp;anhalten</translation>
        </message>
        <message>
            <source>Serving %1 on port %2. Point iPXE clients at one of these URLs:</source>
            <translation>%1 wird auf Port %2 ausgeliefert. Richten Sie iPXE-Clients auf eine dieser URLs:</translation>
        </message>
        <message>
            <source>Stopped.</source>
            <translation>Angehalten.</translation>
        </message>
        <message>
            <source>memdisk: each client downloads the whole image into RAM, then boots it as a disk (BIOS only). “raw” is the tested default.</source>
            <translation>memdisk: Jeder Client lädt das ganze Abbild in den RAM und startet es dann als Festplatte (nur BIOS). „raw“ ist die getestete Voreinstellung.</translation>
        </message>
        <message>
            <source>sanboot: iPXE reads the image block by block over HTTP as the client needs it (no RAM copy of the image).</source>
            <translation>sanboot: iPXE liest das Abbild blockweise per HTTP, wenn der Client es braucht (keine Kopie des Abbilds im RAM).</translation>
        </message>
        <message>
            <source>(start serving to see the snippet with this server's URL)</source>
            <translation>(starten Sie die Auslieferung, um den Ausschnitt mit der URL dieses Servers zu sehen)</translation>
        </message>
        <message>
            <source>At an iPXE prompt (Ctrl-B): &lt;code&gt;%1&lt;/code&gt;</source>
            <translation>An der iPXE-Eingabeaufforderung (Strg-B): &lt;code&gt;%1&lt;/code&gt;</translation>
        </message>
        <message>
            <source>%1 of %2</source>
            <translation>%1 von %2</translation>
        </message>
        <message>
            <source>%1/s</source>
            <translation>%1/s</translation>
        </message>
        <message>
            <source>Clients: %1 — transfers running: %2, finished: %3 — sent: %4</source>
            <translation>Clients: %1 – laufende Übertragungen: %2, fertig: %3 – gesendet: %4</translation>
        </message>
    </context>
    <context>
        <name>pecast::ui::SourcePage</name>
        <message>
            <source>Source</source>
            <translation>Quelle</translation>
        </message>
        <message>
            <source>/path/to/boot.wim</source>
            <translation>/pfad/zu/boot.wim</translation>
        </message>
        <message>
            <source>&amp;Recent files:</source>
            <translation>Zu&amp;letzt verwendet:</translation>
        </message>
        <message>
            <source>Double-click (or press Enter) to use a file again</source>
            <translation>Doppelklick (oder Eingabetaste), um eine Datei erneut zu verwenden</translation>
        </message>
        <message>
            <source>Choose a WinPE image</source>
            <translation>Ein WinPE-Abbild auswählen</translation>
        </message>
        <message>
            <source>(none yet)</source>
            <translation>(noch keine)</translation>
        </message>
        <message>
            <source>%1 does not exist.</source>
            <translation>%1 existiert nicht.</translation>
        </message>
        <message>
            <source>%1 is not a file.</source>
            <translation>%1 ist keine Datei.</translation>
        </message>
        <message>
            <source>%1 cannot be read: check its permissions.</source>
            <translation>%1 kann nicht gelesen werden: Prüfen Sie die Zugriffsrechte.</translation>
        </message>
        <message>
            <source>%1 (%2)</source>
            <translation>%1 (%2)</translation>
        </message>
        <message>
            <source>Bro&amp;wse…</source>
            <translation>&amp;Durchsuchen …</translation>
        </message>
        <message>
            <source>Choose the WinPE image (WIM, ISO or ADK folder) to turn into a network-bootable disk, or an existing disk image to edit.</source>
            <translation>Wählen Sie das WinPE-Abbild (WIM, ISO oder ADK-Ordner), aus dem ein netzwerkstartfähiger Datenträger werden soll, oder ein vorhandenes Datenträgerabbild zum Bearbeiten.</translation>
        </message>
        <message>
            <source>Drop a .wim, .esd or .iso file, an ADK copype folder,
or a disk image (.img) to edit here — or click to browse</source>
            <translation>Eine .wim-, .esd- oder .iso-Datei, einen ADK-copype-Ordner
oder ein Datenträgerabbild (.img) zum Bearbeiten hierher ziehen – oder zum Durchsuchen klicken</translation>
        </message>
        <message>
            <source>&amp;Source:</source>
            <translation>&amp;Quelle:</translation>
        </message>
        <message>
            <source>The WinPE WIM (sources/boot.wim), a WinPE or Windows ISO, an ADK copype folder, or a disk image made before</source>
            <translation>Das WinPE-WIM (sources/boot.wim), eine WinPE- oder Windows-ISO, ein ADK-copype-Ordner oder ein früher erstelltes Datenträgerabbild</translation>
        </message>
        <message>
            <source>Choose a WIM, ESD, ISO or disk image file</source>
            <translation>Eine WIM-, ESD-, ISO- oder Abbilddatei auswählen</translation>
        </message>
        <message>
            <source>Choose &amp;folder…</source>
            <translation>&amp;Ordner auswählen …</translation>
        </message>
        <message>
            <source>Choose an ADK copype folder or a media folder (an extracted ISO)</source>
            <translation>Einen ADK-copype-Ordner oder einen Medienordner (eine entpackte ISO) auswählen</translation>
        </message>
        <message>
            <source>All sources (%1)</source>
            <translation>Alle Quellen (%1)</translation>
        </message>
        <message>
            <source>Windows images (%1)</source>
            <translation>Windows-Abbilder (%1)</translation>
        </message>
        <message>
            <source>ISO images (%1)</source>
            <translation>ISO-Abbilder (%1)</translation>
        </message>
        <message>
            <source>Disk images (%1)</source>
            <translation>Datenträgerabbilder (%1)</translation>
        </message>
        <message>
            <source>All files (*)</source>
            <translation>Alle Dateien (*)</translation>
        </message>
        <message>
            <source>Choose an ADK copype folder or a media folder</source>
            <translation>Einen ADK-copype-Ordner oder einen Medienordner auswählen</translation>
        </message>
        <message>
            <source>Drop or choose a WIM, an ISO, an ADK folder or a disk image to begin.</source>
            <translation>Ziehen Sie zum Beginnen ein WIM, eine ISO, einen ADK-Ordner oder ein Datenträgerabbild hierher oder wählen Sie eines aus.</translation>
        </message>
        <message>
            <source>%1 is not a WIM, ISO or disk image file.</source>
            <translation>%1 ist keine WIM-, ISO- oder Abbilddatei.</translation>
        </message>
        <message>
            <source>Disk image %1 (%2): Next opens it for editing (replace its WIM, then serve it).</source>
            <translation>Datenträgerabbild %1 (%2): „Weiter“ öffnet es zum Bearbeiten (WIM ersetzen, dann ausliefern).</translation>
        </message>
        <message>
            <source>Virtual disk %1 (%2): Next shows what it boots (libguestfs, 15–40 s). Replacing the WIM needs a raw image (qemu-img convert -O raw).</source>
            <translation>Virtueller Datenträger %1 (%2): „Weiter“ zeigt, was er startet (libguestfs, 15–40 s). Zum Ersetzen des WIM ist ein Rohabbild nötig (qemu-img convert -O raw).</translation>
        </message>
        <message>
            <source>Reading %1…</source>
            <translation>%1 wird gelesen …</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1: %2</translation>
        </message>
        <message>
            <source>Windows installation ISO</source>
            <translation>Windows-Installations-ISO</translation>
        </message>
        <message>
            <source>Windows PE ISO</source>
            <translation>Windows-PE-ISO</translation>
        </message>
        <message>
            <source>ADK copype folder</source>
            <translation>ADK-copype-Ordner</translation>
        </message>
        <message>
            <source>Media folder</source>
            <translation>Medienordner</translation>
        </message>
        <message>
            <source>WIM</source>
            <translation>WIM</translation>
        </message>
        <message>
            <source>%1: boot.wim found (%2, images: %3); bootmgr and boot.sdi come from the medium.</source>
            <translation>%1: boot.wim gefunden (%2, Abbilder: %3); bootmgr und boot.sdi stammen vom Medium.</translation>
        </message>
    </context>
    <context>
        <name>pecast::ui::TextFileDialog</name>
        <message>
            <source>Edit %1</source>
            <translation>%1 bearbeiten</translation>
        </message>
        <message>
            <source>Content of %1 in the image (saved with Windows line ends):</source>
            <translation>Inhalt von %1 im Abbild (mit Windows-Zeilenenden gespeichert):</translation>
        </message>
    </context>
</TS>
