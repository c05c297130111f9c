## Device plugins (one module per device model).
