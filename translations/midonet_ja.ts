<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP" sourcelanguage="en">
<context>
    <name>QObject</name>
    <message>
        <location filename="../manager-gui/models/design_commands.cpp" line="179"/>
        <source>Link %1 to %2</source>
        <translation>%1 を %2 にリンク</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/design_commands.cpp" line="308"/>
        <source>Delete %1</source>
        <translation>%1 を削除</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/design_commands.cpp" line="432"/>
        <source>Move rule to position %1</source>
        <translation>ルールを %1 番目に移動</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/design_commands.cpp" line="481"/>
        <source>Bind port to %1</source>
        <translation>ポートを %1 にバインド</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/map_graph.cpp" line="430"/>
        <source>Move %1 nodes</source>
        <translation>%1 個のノードを移動</translation>
    </message>
</context>
<context>
    <name>midonet::manager::ApiClient</name>
    <message>
        <location filename="../manager-gui/net/api_client.cpp" line="131"/>
        <source>login refused</source>
        <translation>ログインが拒否されました</translation>
    </message>
    <message>
        <location filename="../manager-gui/net/api_client.cpp" line="164"/>
        <source>the API root did not answer</source>
        <translation>API ルートが応答しません</translation>
    </message>
</context>
<context>
    <name>midonet::manager::BgpDialog</name>
    <message>
        <location filename="../manager-gui/dialogs/bgp_dialog.cpp" line="57"/>
        <source>BGP of %1</source>
        <translation>%1 の BGP</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/bgp_dialog.cpp" line="62"/>
        <source>BGP peers</source>
        <translation>BGP ピア</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/bgp_dialog.cpp" line="77"/>
        <source>Add peer</source>
        <translation>ピアを追加</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/bgp_dialog.cpp" line="79"/>
        <source>Delete peer</source>
        <translation>ピアを削除</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/bgp_dialog.cpp" line="81"/>
        <source>Address:</source>
        <translation>アドレス:</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/bgp_dialog.cpp" line="83"/>
        <source>AS:</source>
        <translation>AS:</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/bgp_dialog.cpp" line="94"/>
        <source>Advertised networks</source>
        <translation>広報するネットワーク</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/bgp_dialog.cpp" line="105"/>
        <source>Add network</source>
        <translation>ネットワークを追加</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/bgp_dialog.cpp" line="107"/>
        <source>Delete network</source>
        <translation>ネットワークを削除</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/bgp_dialog.cpp" line="109"/>
        <source>Network:</source>
        <translation>ネットワーク:</translation>
    </message>
</context>
<context>
    <name>midonet::manager::BgpNetworksModel</name>
    <message>
        <location filename="../manager-gui/models/bgp_model.cpp" line="198"/>
        <source>Advertised network</source>
        <translation>広報ネットワーク</translation>
    </message>
</context>
<context>
    <name>midonet::manager::BgpPeersModel</name>
    <message>
        <location filename="../manager-gui/models/bgp_model.cpp" line="88"/>
        <source>%1d %2</source>
        <translation>%1日 %2</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/bgp_model.cpp" line="110"/>
        <source>No agent reports this session (no gateway runs it, or the cluster does not say)</source>
        <translation>このセッションを報告するエージェントがありません(実行中のゲートウェイがないか、クラスターが状態を返していません)</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/bgp_model.cpp" line="141"/>
        <source>Peer address</source>
        <translation>ピアアドレス</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/bgp_model.cpp" line="142"/>
        <source>AS</source>
        <translation>AS</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/bgp_model.cpp" line="143"/>
        <source>Session</source>
        <translation>セッション</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/bgp_model.cpp" line="144"/>
        <source>Received</source>
        <translation>受信</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/bgp_model.cpp" line="145"/>
        <source>Advertised</source>
        <translation>広報</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/bgp_model.cpp" line="146"/>
        <source>Up for</source>
        <translation>稼働時間</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/bgp_model.cpp" line="147"/>
        <source>Gateway host</source>
        <translation>ゲートウェイホスト</translation>
    </message>
</context>
<context>
    <name>midonet::manager::ChainsDialog</name>
    <message>
        <location filename="../manager-gui/dialogs/chains_dialog.cpp" line="36"/>
        <source>Chains and rules</source>
        <translation>チェーンとルール</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/chains_dialog.cpp" line="46"/>
        <source>new chain name</source>
        <translation>新しいチェーン名</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/chains_dialog.cpp" line="48"/>
        <source>Add chain</source>
        <translation>チェーンを追加</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/chains_dialog.cpp" line="49"/>
        <source>Delete chain</source>
        <translation>チェーンを削除</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/chains_dialog.cpp" line="52"/>
        <source>Chains</source>
        <translation>チェーン</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/chains_dialog.cpp" line="73"/>
        <source>Rules (drag a row to reorder)</source>
        <translation>ルール (行をドラッグして並べ替え)</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/chains_dialog.cpp" line="79"/>
        <location filename="../manager-gui/dialogs/chains_dialog.cpp" line="81"/>
        <location filename="../manager-gui/dialogs/chains_dialog.cpp" line="83"/>
        <location filename="../manager-gui/dialogs/chains_dialog.cpp" line="89"/>
        <source>any</source>
        <translation>すべて</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/chains_dialog.cpp" line="93"/>
        <source>Action:</source>
        <translation>アクション:</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/chains_dialog.cpp" line="94"/>
        <source>Source:</source>
        <translation>送信元:</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/chains_dialog.cpp" line="95"/>
        <source>Destination:</source>
        <translation>宛先:</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/chains_dialog.cpp" line="96"/>
        <source>Protocol:</source>
        <translation>プロトコル:</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/chains_dialog.cpp" line="97"/>
        <source>Destination port:</source>
        <translation>宛先ポート番号:</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/chains_dialog.cpp" line="98"/>
        <source>Jump to:</source>
        <translation>ジャンプ先:</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/chains_dialog.cpp" line="99"/>
        <source>Position:</source>
        <translation>位置:</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/chains_dialog.cpp" line="102"/>
        <source>Add rule</source>
        <translation>ルールを追加</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/chains_dialog.cpp" line="103"/>
        <source>Delete rule</source>
        <translation>ルールを削除</translation>
    </message>
</context>
<context>
    <name>midonet::manager::InspectorDock</name>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="121"/>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="122"/>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="123"/>
        <source>Tenant</source>
        <translation>テナント</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="124"/>
        <source>Admin state up</source>
        <translation>管理状態アップ</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="125"/>
        <source>Inbound filter</source>
        <translation>受信フィルター</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="126"/>
        <source>Outbound filter</source>
        <translation>送信フィルター</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="127"/>
        <source>Local AS</source>
        <translation>ローカル AS</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="128"/>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="212"/>
        <source>Load balancer</source>
        <translation>ロードバランサー</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="129"/>
        <source>Type</source>
        <translation>種類</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="130"/>
        <source>Device</source>
        <translation>デバイス</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="131"/>
        <source>Port address</source>
        <translation>ポートアドレス</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="132"/>
        <source>Prefix length</source>
        <translation>プレフィックス長</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="133"/>
        <source>Subnets</source>
        <translation>サブネット</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="134"/>
        <source>MAC address</source>
        <translation>MAC アドレス</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="135"/>
        <source>VLAN</source>
        <translation>VLAN</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="136"/>
        <source>Linked to</source>
        <translation>リンク先</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="137"/>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="210"/>
        <source>Host</source>
        <translation>ホスト</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="138"/>
        <source>Interface</source>
        <translation>インターフェース</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="139"/>
        <source>Tunnel key</source>
        <translation>トンネルキー</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="140"/>
        <source>Active</source>
        <translation>アクティブ</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="141"/>
        <source>Agent alive</source>
        <translation>エージェント稼働中</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="142"/>
        <source>Addresses</source>
        <translation>アドレス</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="143"/>
        <source>Flooding proxy weight</source>
        <translation>フラッディングプロキシの重み</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="144"/>
        <source>Container weight</source>
        <translation>コンテナの重み</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="145"/>
        <source>Container limit</source>
        <translation>コンテナ上限</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="146"/>
        <source>Enforce container limit</source>
        <translation>コンテナ上限を適用</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="147"/>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="208"/>
        <source>Router</source>
        <translation>ルーター</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="187"/>
        <source>Inspector</source>
        <translation>インスペクター</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="188"/>
        <source>Apply</source>
        <translation>適用</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="189"/>
        <source>Revert</source>
        <translation>元に戻す</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="190"/>
        <source>Routes…</source>
        <translation>ルート…</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="191"/>
        <source>BGP…</source>
        <translation>BGP…</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="192"/>
        <source>BGP peers, their session status, and advertised networks</source>
        <translation>BGP ピアとセッション状態、広報するネットワーク</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="193"/>
        <source>Delete</source>
        <translation>削除</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="201"/>
        <source>Nothing selected</source>
        <translation>何も選択されていません</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="207"/>
        <source>Bridge</source>
        <translation>ブリッジ</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="209"/>
        <source>Port</source>
        <translation>ポート</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="211"/>
        <source>Tunnel zone</source>
        <translation>トンネルゾーン</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="253"/>
        <source>(none)</source>
        <translation>(なし)</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="267"/>
        <source>yes</source>
        <translation>はい</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/inspector_dock.cpp" line="267"/>
        <source>no</source>
        <translation>いいえ</translation>
    </message>
</context>
<context>
    <name>midonet::manager::LoginDialog</name>
    <message>
        <location filename="../manager-gui/dialogs/login_dialog.cpp" line="65"/>
        <source>Connect to a MidoNet cluster</source>
        <translation>MidoNet クラスターに接続</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/login_dialog.cpp" line="66"/>
        <source>Cluster &amp;URL:</source>
        <translation>クラスター URL(&amp;U):</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/login_dialog.cpp" line="67"/>
        <source>&amp;User:</source>
        <translation>ユーザー(&amp;U):</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/login_dialog.cpp" line="68"/>
        <source>&amp;Password:</source>
        <translation>パスワード(&amp;P):</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/login_dialog.cpp" line="69"/>
        <source>&amp;Tenant:</source>
        <translation>テナント(&amp;T):</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/login_dialog.cpp" line="70"/>
        <source>http://host:8181</source>
        <translation>http://ホスト:8181</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/login_dialog.cpp" line="71"/>
        <source>optional</source>
        <translation>省略可</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/login_dialog.cpp" line="72"/>
        <source>Connect</source>
        <translation>接続</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/login_dialog.cpp" line="73"/>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
</context>
<context>
    <name>midonet::manager::MainWindow</name>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="301"/>
        <source>MidoNet Manager</source>
        <translation>MidoNet マネージャー</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="302"/>
        <source>Virtual topology</source>
        <translation>仮想トポロジー</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="123"/>
        <source>%1 failed: %2</source>
        <translation>%1 に失敗しました: %2</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="201"/>
        <location filename="../manager-gui/widgets/main_window.cpp" line="206"/>
        <source>Export map</source>
        <translation>マップをエクスポート</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="202"/>
        <source>PNG image (*.png)</source>
        <translation>PNG 画像 (*.png)</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="207"/>
        <source>SVG drawing (*.svg)</source>
        <translation>SVG 図 (*.svg)</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="303"/>
        <source>Physical</source>
        <translation>物理</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="304"/>
        <source>Devices</source>
        <translation>デバイス</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="305"/>
        <source>Main</source>
        <translation>メイン</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="306"/>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="307"/>
        <source>&amp;Edit</source>
        <translation>編集(&amp;E)</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="308"/>
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="309"/>
        <source>&amp;Design</source>
        <translation>設計(&amp;D)</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="310"/>
        <source>&amp;Connect…</source>
        <translation>接続(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="311"/>
        <source>&amp;Disconnect</source>
        <translation>切断(&amp;D)</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="312"/>
        <source>Export map as &amp;PNG…</source>
        <translation>マップを PNG でエクスポート(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="313"/>
        <source>Export map as &amp;SVG…</source>
        <translation>マップを SVG でエクスポート(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="314"/>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="316"/>
        <source>De&amp;lete</source>
        <translation>削除(&amp;L)</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="317"/>
        <source>Re&amp;name…</source>
        <translation>名前の変更(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="318"/>
        <source>Select &amp;all</source>
        <translation>すべて選択(&amp;A)</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="319"/>
        <source>Zoom &amp;in</source>
        <translation>拡大(&amp;I)</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="320"/>
        <source>Zoom &amp;out</source>
        <translation>縮小(&amp;O)</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="321"/>
        <source>&amp;Fit to window</source>
        <translation>ウィンドウに合わせる(&amp;F)</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="322"/>
        <source>Re-run &amp;layout</source>
        <translation>レイアウトを再実行(&amp;L)</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="323"/>
        <source>&amp;Link mode</source>
        <translation>リンクモード(&amp;L)</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="324"/>
        <source>Drag from one device to another to link them (or hold Alt while dragging)</source>
        <translation>デバイスから別のデバイスへドラッグしてリンクします (または Alt を押しながらドラッグ)</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="325"/>
        <source>&amp;Settings…</source>
        <translation>設定(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="326"/>
        <source>&amp;Routes of the selected router…</source>
        <translation>選択したルーターのルート(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="327"/>
        <source>&amp;BGP of the selected router…</source>
        <translation>選択したルーターの BGP(&amp;B)…</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="328"/>
        <source>&amp;Chains and rules…</source>
        <translation>チェーンとルール(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="329"/>
        <source>Search name, IP or MAC</source>
        <translation>名前・IP・MAC で検索</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="330"/>
        <source>Show one tenant&apos;s objects</source>
        <translation>1 つのテナントのオブジェクトだけを表示</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="331"/>
        <location filename="../manager-gui/widgets/main_window.cpp" line="332"/>
        <source>All tenants</source>
        <translation>すべてのテナント</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="340"/>
        <source>&amp;Undo %1</source>
        <translation>元に戻す: %1(&amp;U)</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="340"/>
        <source>&amp;Undo</source>
        <translation>元に戻す(&amp;U)</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="341"/>
        <source>&amp;Redo %1</source>
        <translation>やり直し: %1(&amp;R)</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="341"/>
        <source>&amp;Redo</source>
        <translation>やり直し(&amp;R)</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="342"/>
        <source>Undo</source>
        <translation>元に戻す</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="343"/>
        <source>Redo</source>
        <translation>やり直し</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="374"/>
        <source>Not connected</source>
        <translation>未接続</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="375"/>
        <source>Connecting to %1…</source>
        <translation>%1 に接続中…</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="377"/>
        <source>Connected to %1 as %2</source>
        <translation>%1 に %2 として接続済み</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="378"/>
        <source>(no user)</source>
        <translation>(ユーザーなし)</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="381"/>
        <source>Connection lost, reconnecting…</source>
        <translation>接続が切れました。再接続中…</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="382"/>
        <source>Connection failed: %1</source>
        <translation>接続に失敗しました: %1</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="422"/>
        <source>Connect to a cluster first</source>
        <translation>先にクラスターに接続してください</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="447"/>
        <source>Rename</source>
        <translation>名前の変更</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="447"/>
        <source>New name:</source>
        <translation>新しい名前:</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="459"/>
        <source>%1 found</source>
        <translation>%1 件見つかりました</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="501"/>
        <source>MidoNet topology</source>
        <translation>MidoNet トポロジー</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="519"/>
        <source>Map saved to %1</source>
        <translation>マップを %1 に保存しました</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/main_window.cpp" line="519"/>
        <source>Could not save %1</source>
        <translation>%1 を保存できませんでした</translation>
    </message>
</context>
<context>
    <name>midonet::manager::MapGraph</name>
    <message>
        <location filename="../manager-gui/models/map_graph.cpp" line="82"/>
        <source>LB %1</source>
        <translation>LB %1</translation>
    </message>
</context>
<context>
    <name>midonet::manager::PaletteWidget</name>
    <message>
        <location filename="../manager-gui/widgets/palette_widget.cpp" line="70"/>
        <source>Bridge</source>
        <translation>ブリッジ</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/palette_widget.cpp" line="71"/>
        <source>Router</source>
        <translation>ルーター</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/palette_widget.cpp" line="72"/>
        <source>Load balancer</source>
        <translation>ロードバランサー</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/palette_widget.cpp" line="73"/>
        <source>Tunnel zone</source>
        <translation>トンネルゾーン</translation>
    </message>
    <message>
        <location filename="../manager-gui/widgets/palette_widget.cpp" line="75"/>
        <source>Drag onto the map to create a %1</source>
        <translation>マップにドラッグして%1を作成</translation>
    </message>
</context>
<context>
    <name>midonet::manager::RoutesDialog</name>
    <message>
        <location filename="../manager-gui/dialogs/routes_dialog.cpp" line="23"/>
        <source>Routes of %1</source>
        <translation>%1 のルート</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/routes_dialog.cpp" line="46"/>
        <source>Normal</source>
        <translation>通常</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/routes_dialog.cpp" line="47"/>
        <source>Black hole</source>
        <translation>ブラックホール</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/routes_dialog.cpp" line="48"/>
        <source>Reject</source>
        <translation>拒否</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/routes_dialog.cpp" line="53"/>
        <source>Destination:</source>
        <translation>宛先:</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/routes_dialog.cpp" line="54"/>
        <source>Next-hop port:</source>
        <translation>ネクストホップポート:</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/routes_dialog.cpp" line="55"/>
        <source>Gateway:</source>
        <translation>ゲートウェイ:</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/routes_dialog.cpp" line="56"/>
        <source>Weight:</source>
        <translation>重み:</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/routes_dialog.cpp" line="57"/>
        <source>Type:</source>
        <translation>種類:</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/routes_dialog.cpp" line="65"/>
        <source>Add route</source>
        <translation>ルートを追加</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/routes_dialog.cpp" line="66"/>
        <source>Delete</source>
        <translation>削除</translation>
    </message>
</context>
<context>
    <name>midonet::manager::RoutesModel</name>
    <message>
        <location filename="../manager-gui/models/routes_model.cpp" line="70"/>
        <source>Destination</source>
        <translation>宛先</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/routes_model.cpp" line="71"/>
        <source>Source</source>
        <translation>送信元</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/routes_model.cpp" line="72"/>
        <source>Next-hop port</source>
        <translation>ネクストホップポート</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/routes_model.cpp" line="73"/>
        <source>Gateway</source>
        <translation>ゲートウェイ</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/routes_model.cpp" line="74"/>
        <source>Weight</source>
        <translation>重み</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/routes_model.cpp" line="75"/>
        <source>Type</source>
        <translation>種類</translation>
    </message>
</context>
<context>
    <name>midonet::manager::RulesModel</name>
    <message>
        <location filename="../manager-gui/models/rules_model.cpp" line="96"/>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/rules_model.cpp" line="97"/>
        <source>Action</source>
        <translation>アクション</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/rules_model.cpp" line="98"/>
        <source>Match</source>
        <translation>条件</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/rules_model.cpp" line="99"/>
        <source>Target</source>
        <translation>ターゲット</translation>
    </message>
</context>
<context>
    <name>midonet::manager::Session</name>
    <message>
        <location filename="../manager-gui/models/session.cpp" line="51"/>
        <source>cluster unreachable, retrying</source>
        <translation>クラスターに到達できません。再試行中</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/session.cpp" line="277"/>
        <source>Create %1</source>
        <translation>%1 を作成</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/session.cpp" line="297"/>
        <source>Attach load balancer</source>
        <translation>ロードバランサーを接続</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/session.cpp" line="322"/>
        <source>Rename to %1</source>
        <translation>名前を %1 に変更</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/session.cpp" line="334"/>
        <source>Edit %1</source>
        <translation>%1 を編集</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/session.cpp" line="343"/>
        <source>Add route</source>
        <translation>ルートを追加</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/session.cpp" line="353"/>
        <source>Add BGP peer %1</source>
        <translation>BGP ピア %1 を追加</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/session.cpp" line="363"/>
        <source>Add BGP network %1/%2</source>
        <translation>BGP ネットワーク %1/%2 を追加</translation>
    </message>
    <message>
        <location filename="../manager-gui/models/session.cpp" line="395"/>
        <source>Add rule</source>
        <translation>ルールを追加</translation>
    </message>
</context>
<context>
    <name>midonet::manager::SettingsDialog</name>
    <message>
        <location filename="../manager-gui/dialogs/settings_dialog.cpp" line="49"/>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/settings_dialog.cpp" line="50"/>
        <source>&amp;Language:</source>
        <translation>言語(&amp;L):</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/settings_dialog.cpp" line="51"/>
        <source>&amp;Theme:</source>
        <translation>テーマ(&amp;T):</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/settings_dialog.cpp" line="52"/>
        <source>System default</source>
        <translation>システムの既定</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/settings_dialog.cpp" line="53"/>
        <source>Light</source>
        <translation>ライト</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/settings_dialog.cpp" line="54"/>
        <source>Dark</source>
        <translation>ダーク</translation>
    </message>
    <message>
        <location filename="../manager-gui/dialogs/settings_dialog.cpp" line="65"/>
        <source>The language follows the system locale.</source>
        <translation>言語はシステムのロケールに従います。</translation>
    </message>
</context>
</TS>
