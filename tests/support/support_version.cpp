namespace midonet::test { const char *supportVersion() { return "0.1.0"; } }
