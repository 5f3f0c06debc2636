// The names of the configuration file: a leaf module, so that the format registry (which editors watch
// these beside the formats' files) does not import the configuration's reader and, through it, the rules.
export const CONFIG_FILES = ['.portparity.yaml', '.portparity.yml'];
