print("scmi-stress: not built yet")
