import SCMICheckCLI
SCMICheck.main()
