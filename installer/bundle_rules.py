"""Which Qt files the one-folder build keeps: shared by chamberdesk.spec and estimate_windows_size.py."""

# Qt modules the program imports (QtPdf when a PySide6 build has it, else pypdfium2 previews);
# everything else in PySide6 stays out of the bundle.
QT_USED = {"QtCore", "QtGui", "QtWidgets", "QtCharts", "QtPdf", "QtPrintSupport"}
# Qt libraries the used ones link against (QtCharts -> OpenGL, the SVG icon plugins -> Svg, Linux
# -> DBus) stay, but their Python bindings are never imported: QtOpenGL's alone is 8.5 MB.
QT_BINDINGS_UNUSED = ["QtOpenGL", "QtOpenGLWidgets", "QtDBus", "QtNetwork", "QtSvg"]

QT_EXCLUDED = [
    "QtWebEngineCore", "QtWebEngineWidgets", "QtWebEngineQuick", "QtWebChannel", "QtWebSockets",
    "QtWebView", "QtQml", "QtQuick", "QtQuick3D", "QtQuickWidgets", "QtQuickControls2", "QtQuickTest",
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender",
    "QtMultimedia", "QtMultimediaWidgets", "QtSpatialAudio", "QtTextToSpeech", "QtBluetooth", "QtNfc",
    "QtPositioning", "QtLocation", "QtSensors", "QtSerialPort", "QtSerialBus", "QtRemoteObjects",
    "QtScxml", "QtStateMachine", "QtDataVisualization", "QtGraphs", "QtGraphsWidgets", "QtDesigner",
    "QtHelp", "QtUiTools", "QtSql", "QtTest", "QtXml", "QtNetworkAuth", "QtHttpServer", "QtPdfWidgets",
    "QtSvgWidgets", "QtConcurrent", "QtAxContainer", "QtCanvasPainter", "QtLabsStyleKit",
    "QtAsyncio", "QtVirtualKeyboard", "QtVirtualKeyboardQml", "QtQmlModels", "QtQmlMeta", "QtQmlWorkerScript",
    "QtEglFSDeviceIntegration", "QtEglFsKmsSupport",
]


def keep(dest: str) -> bool:
    """Drop what a Qt hook may still drag in: other languages' Qt catalogues, unused Qt libraries."""
    d = dest.replace("\\", "/")
    name = d.rsplit("/", 1)[-1]
    if "/translations/" in d and name.endswith(".qm"):
        return name.startswith(("qtbase_zh_CN", "qt_zh_CN"))
    if "/Qt/qml/" in d or "/Qt/libexec/" in d:
        return False
    lowered = name.lower()
    for mod in QT_EXCLUDED:
        short = mod[2:].lower()  # QtWebEngineCore -> webenginecore
        if lowered.startswith(("libqt6" + short, "qt6" + short, mod.lower() + ".")):
            return False
    if lowered == "opengl32sw.dll":
        return False  # Mesa's software OpenGL (20 MB): only for OpenGL surfaces, and widgets paint without GL
    if "/plugins/" in d:
        if any(x in lowered for x in ("virtualkeyboard", "qeglfs", "qlinuxfb", "qvnc", "qvkkhrdisplay",
                                      "qminimalegl", "qgtk3", "qdirect2d", "qpdf")):
            # kiosk/embedded platforms, an on-screen keyboard, the GTK theme, the experimental Direct2D
            # platform, PDFs read as images (the preview uses QtPdf itself): not needed
            return False
        kind = d.split("/plugins/", 1)[1].split("/", 1)[0]
        return kind in {"platforms", "platformthemes", "platforminputcontexts", "imageformats", "iconengines",
                        "styles", "printsupport", "xcbglintegrations", "wayland-shell-integration",
                        "wayland-decoration-client", "wayland-graphics-integration-client"} and not (
            kind == "imageformats" and any(x in lowered for x in ("icns", "tga", "tiff", "wbmp", "webp")))
    return True
