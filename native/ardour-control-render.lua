-- The control render of native/ardour-render-test.sh: the session made by
-- /work/shared/tools/ardour-render.lua's setup, exported from headless Ardour 7.3 (Dummy backend)
-- exactly as the plug-in render is, but with no plug-in on the track. It shows what Ardour
-- itself does to the audio under the same conditions.
--   ardour7-lua native/ardour-control-render.lua <session-dir> <out.wav>
local dir, outfile = arg[1], arg[2]
assert(load_session(dir, "render"), "load_session failed")
local track = Session:route_by_name("Audio 1"):to_track()
assert(track:playlist():region_list():size() == 1, "region missing")
local export = Session:simple_export()
export:set_preset("75969a1c-3133-4694-864b-a1fa50e43348") -- "WAV @ session-rate", 16 bit
export:set_folder(dir .. "/export"); export:set_name("control")
assert(export:run_export(), "export failed")
assert(os.execute("cp '" .. dir .. "/export/control.wav' '" .. outfile .. "'"))
print("rendered:", outfile)
