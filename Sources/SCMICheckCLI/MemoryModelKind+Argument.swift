import ArgumentParser
import TransitionSystems

extension MemoryModelKind: ExpressibleByArgument {}
