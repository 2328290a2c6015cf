// MapTheme: the colours the maps paint with, one set for the light and one for the dark theme.
//
// Thread-safety: plain value.
#pragma once

#include <QColor>

namespace midonet::manager {

struct MapTheme
{
    bool dark = false;
    QColor background, grid, text, subtext, edge, link, binding, member;
    QColor bridge, router, port, iface, lb, host, zone, binding_node;
    QColor up, down, idle, highlight, selection, dimmed;

    static MapTheme light();
    static MapTheme darkTheme();
};

inline MapTheme MapTheme::light()
{
    MapTheme t;
    t.background = QColor(0xfa, 0xfb, 0xfc);
    t.grid = QColor(0xe8, 0xeb, 0xef);
    t.text = QColor(0x1d, 0x22, 0x2a);
    t.subtext = QColor(0x5c, 0x66, 0x73);
    t.edge = QColor(0x9a, 0xa4, 0xb0);
    t.link = QColor(0x2b, 0x6c, 0xb0);
    t.binding = QColor(0x7b, 0x55, 0xa8);
    t.member = QColor(0x2f, 0x8f, 0x6a);
    t.bridge = QColor(0x3c, 0x8d, 0xd9);
    t.router = QColor(0xe0, 0x8a, 0x2c);
    t.port = QColor(0x6b, 0x78, 0x88);
    t.iface = QColor(0x8e, 0x6b, 0xc4);
    t.lb = QColor(0xc9, 0x4f, 0x7c);
    t.host = QColor(0x4a, 0x6a, 0x8a);
    t.zone = QColor(0x2f, 0x9e, 0x78);
    t.binding_node = QColor(0x8e, 0x6b, 0xc4);
    t.up = QColor(0x2e, 0xa0, 0x4f);
    t.down = QColor(0xd2, 0x3b, 0x3b);
    t.idle = QColor(0xb0, 0xb6, 0xbe);
    t.highlight = QColor(0xff, 0xb3, 0x00);
    t.selection = QColor(0x1f, 0x6f, 0xeb);
    t.dimmed = QColor(0xd5, 0xd9, 0xde);
    return t;
}

inline MapTheme MapTheme::darkTheme()
{
    MapTheme t = light();
    t.dark = true;
    t.background = QColor(0x1b, 0x1e, 0x24);
    t.grid = QColor(0x26, 0x2a, 0x32);
    t.text = QColor(0xe6, 0xe9, 0xee);
    t.subtext = QColor(0x9a, 0xa3, 0xae);
    t.edge = QColor(0x5a, 0x63, 0x6e);
    t.link = QColor(0x5a, 0xa2, 0xf0);
    t.port = QColor(0x9a, 0xa6, 0xb4);
    t.idle = QColor(0x6a, 0x72, 0x7c);
    t.dimmed = QColor(0x33, 0x38, 0x40);
    return t;
}

} // namespace midonet::manager
