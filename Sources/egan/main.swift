import EganCLI
import Foundation

exit(EganMain.run(Array(CommandLine.arguments.dropFirst())))
