public enum SCMICheck { public static func main() {} }
