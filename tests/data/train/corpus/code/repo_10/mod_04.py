# Write a function to find the volume of a cuboid.
def volume_cuboid(l,w,h):
  volume=l*w*h
  return volume


# Write a function to print all permutations of a given string including duplicates.
def permute_string(str):
    if len(str) == 0:
        return ['']
    prev_list = permute_string(str[1:len(str)])
    next_list = []
    for i in range(0,len(prev_list)):
        for j in range(0,len(str)):
            new_str = prev_list[i][0:j]+str[0]+prev_list[i][j:len(str)-1]
            if new_str not in next_list:
                next_list.append(new_str)
    return next_list


# Write a function to round the given number to the nearest multiple of a specific number.
def round_num(n,m):
    a = (n //m) * m
    b = a + m
    return (b if n - a > b - n else a)
