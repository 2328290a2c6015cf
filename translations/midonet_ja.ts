<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP" sourcelanguage="en">
<context>
    <name>midonet::manager::MainWindow</name>
    <message>
        <source>MidoNet Manager</source>
        <translation>MidoNet マネージャー</translation>
    </message>
    <message>
        <source>Virtual topology</source>
        <translation>仮想トポロジー</translation>
    </message>
    <message>
        <source>Connect to a cluster to see bridges, routers and ports.</source>
        <translation>クラスターに接続すると、ブリッジ、ルーター、ポートが表示されます。</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>未接続</translation>
    </message>
</context>
</TS>
